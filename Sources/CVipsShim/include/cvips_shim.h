#ifndef CVIPS_SHIM_H
#define CVIPS_SHIM_H

#include <stddef.h>
#include <vips/vips.h>
#include "png_stripes.h"

/* Typed, non-variadic wrappers over libvips operations so that Swift can call them.
 * Every function returning int gives 0 on success and -1 on failure (message in vips' error buffer);
 * every VipsImage **out receives a new reference the caller owns. Inputs are never consumed. */

int cvips_init(const char *argv0);
/* Allow only the loaders Darkroom accepts from untrusted uploads. */
void cvips_restrict_loaders(void);

/* Copies data, so the caller's buffer may go away; the copy is freed when the image closes.
 * fail_on: 0 none, 1 truncated, 2 error, 3 warning (VipsFailOn). */
int cvips_load_buffer(const void *data, size_t length, int fail_on, int sequential, VipsImage **out);
int cvips_thumbnail_buffer(const void *data, size_t length, int width, int height, int crop_centre,
                           int force_size, VipsImage **out);

int cvips_autorot(VipsImage *in, VipsImage **out);
int cvips_to_srgb(VipsImage *in, VipsImage **out);
int cvips_colourspace(VipsImage *in, VipsInterpretation space, VipsImage **out);
int cvips_cast(VipsImage *in, VipsBandFormat format, VipsImage **out);
int cvips_copy_memory(VipsImage *in, VipsImage **out);
int cvips_resize(VipsImage *in, double hscale, double vscale, VipsKernel kernel, VipsImage **out);
int cvips_thumbnail_image(VipsImage *in, int width, int height, int force_size, VipsImage **out);
int cvips_crop(VipsImage *in, int left, int top, int width, int height, VipsImage **out);
int cvips_embed(VipsImage *in, int x, int y, int width, int height, VipsExtend extend,
                const double *background, int n_background, VipsImage **out);
int cvips_flatten(VipsImage *in, const double *background, int n, VipsImage **out);
int cvips_bandjoin2(VipsImage *a, VipsImage *b, VipsImage **out);
int cvips_extract_band(VipsImage *in, int band, int n, VipsImage **out);
int cvips_linear1(VipsImage *in, double a, double b, int uchar_out, VipsImage **out);
int cvips_linear(VipsImage *in, const double *a, const double *b, int n, int uchar_out, VipsImage **out);
int cvips_composite2(VipsImage *base, VipsImage *overlay, VipsBlendMode mode, int x, int y, VipsImage **out);
int cvips_gaussblur(VipsImage *in, double sigma, VipsImage **out);
int cvips_affine(VipsImage *in, double a, double b, double c, double d, double odx, double ody,
                 int out_left, int out_top, int out_width, int out_height,
                 const double *background, int n_background, VipsImage **out);
int cvips_text(const char *markup, const char *font, int width, int dpi, VipsImage **out);
int cvips_set_resolution(VipsImage *in, double pixels_per_mm, VipsImage **out);
int cvips_find_trim(VipsImage *in, double threshold, const double *background, int n,
                    int *left, int *top, int *width, int *height);
int cvips_copy_interpretation(VipsImage *in, VipsInterpretation space, VipsImage **out);
/* Convolution with a flat disc of `radius` pixels: a lens-like (bokeh) blur. */
int cvips_disc_blur(VipsImage *in, int radius, VipsImage **out);
int cvips_add_alpha(VipsImage *in, VipsImage **out);
/* Colour × alpha and back: resampling premultiplied pixels keeps hidden colours out of visible edges. */
int cvips_premultiply(VipsImage *in, VipsImage **out);
int cvips_unpremultiply(VipsImage *in, VipsImage **out);
int cvips_flip(VipsImage *in, int horizontal, VipsImage **out);

/* A copy without EXIF, XMP, IPTC, ICC and other attached blobs (GPS positions, camera serials…). */
int cvips_without_metadata(VipsImage *in, VipsImage **out);
int cvips_clear_transparent(VipsImage *in, VipsImage **out);
/* The pixels of an image already held in memory (a decoded, materialised photo), or NULL for a lazy one. */
const void *cvips_memory_pixels(VipsImage *in, size_t *len);
/* The EXIF orientation, 1 (upright) to 8; 1 when there is none. */
int cvips_orientation(VipsImage *in);
int cvips_pngsave(VipsImage *in, int compression, int filter, void **buf, size_t *len);
int cvips_jpegsave(VipsImage *in, int quality, void **buf, size_t *len);
int cvips_webpsave(VipsImage *in, int quality, int lossless, int effort, void **buf, size_t *len);
int cvips_avifsave(VipsImage *in, int quality, int effort, void **buf, size_t *len);

#endif
