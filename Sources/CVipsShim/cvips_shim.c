#include "cvips_shim.h"
#include <string.h>

int cvips_init(const char *argv0) { return VIPS_INIT(argv0); }

void cvips_restrict_loaders(void) {
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
    vips_operation_block_set("VipsForeignLoadPng", FALSE);
    vips_operation_block_set("VipsForeignLoadWebp", FALSE);
    vips_operation_block_set("VipsForeignLoadHeif", FALSE);
    vips_operation_block_set("VipsForeignLoadTiff", FALSE);
    vips_operation_block_set("VipsForeignLoadNsgif", FALSE);
}

static void free_copy(VipsImage *image, gpointer data) { (void)image; g_free(data); }

/* libvips decodes lazily from the buffer it is given, so it must own a copy that lives as long as the image. */
static void *owned_copy(const void *data, size_t length) { return g_memdup2(data, length); }

int cvips_load_buffer(const void *data, size_t length, int fail_on, int sequential, VipsImage **out) {
    void *copy = owned_copy(data, length);
    VipsImage *image = vips_image_new_from_buffer(copy, length, "",
                                                  "fail_on", (VipsFailOn)fail_on,
                                                  "access", sequential ? VIPS_ACCESS_SEQUENTIAL : VIPS_ACCESS_RANDOM,
                                                  NULL);
    if (!image) { g_free(copy); return -1; }
    g_signal_connect(image, "postclose", G_CALLBACK(free_copy), copy);
    *out = image;
    return 0;
}

int cvips_thumbnail_buffer(const void *data, size_t length, int width, int height, int crop_centre,
                           int force_size, VipsImage **out) {
    void *copy = owned_copy(data, length);
    VipsImage *image = NULL;
    int rc = vips_thumbnail_buffer(copy, length, &image, width,
                                   "height", height,
                                   "crop", crop_centre ? VIPS_INTERESTING_CENTRE : VIPS_INTERESTING_NONE,
                                   "size", force_size ? VIPS_SIZE_FORCE : VIPS_SIZE_BOTH,
                                   NULL);
    if (rc) { g_free(copy); return -1; }
    g_signal_connect(image, "postclose", G_CALLBACK(free_copy), copy);
    *out = image;
    return 0;
}

int cvips_autorot(VipsImage *in, VipsImage **out) { return vips_autorot(in, out, NULL); }
int cvips_to_srgb(VipsImage *in, VipsImage **out) { return vips_colourspace(in, out, VIPS_INTERPRETATION_sRGB, NULL); }
int cvips_colourspace(VipsImage *in, VipsInterpretation space, VipsImage **out) {
    return vips_colourspace(in, out, space, NULL);
}
int cvips_cast(VipsImage *in, VipsBandFormat format, VipsImage **out) { return vips_cast(in, out, format, NULL); }

int cvips_copy_memory(VipsImage *in, VipsImage **out) {
    VipsImage *copy = vips_image_copy_memory(in);
    if (!copy) return -1;
    *out = copy;
    return 0;
}

int cvips_resize(VipsImage *in, double hscale, double vscale, VipsKernel kernel, VipsImage **out) {
    return vips_resize(in, out, hscale, "vscale", vscale, "kernel", kernel, NULL);
}

int cvips_thumbnail_image(VipsImage *in, int width, int height, int force_size, VipsImage **out) {
    return vips_thumbnail_image(in, out, width, "height", height,
                                "size", force_size ? VIPS_SIZE_FORCE : VIPS_SIZE_BOTH, NULL);
}

int cvips_crop(VipsImage *in, int left, int top, int width, int height, VipsImage **out) {
    return vips_extract_area(in, out, left, top, width, height, NULL);
}

int cvips_embed(VipsImage *in, int x, int y, int width, int height, VipsExtend extend,
                const double *background, int n_background, VipsImage **out) {
    VipsArrayDouble *bg = vips_array_double_new(background, n_background);
    int rc = vips_embed(in, out, x, y, width, height, "extend", extend, "background", bg, NULL);
    vips_area_unref(VIPS_AREA(bg));
    return rc;
}

int cvips_flatten(VipsImage *in, const double *background, int n, VipsImage **out) {
    VipsArrayDouble *bg = vips_array_double_new(background, n);
    int rc = vips_flatten(in, out, "background", bg, NULL);
    vips_area_unref(VIPS_AREA(bg));
    return rc;
}

int cvips_bandjoin2(VipsImage *a, VipsImage *b, VipsImage **out) { return vips_bandjoin2(a, b, out, NULL); }
int cvips_extract_band(VipsImage *in, int band, int n, VipsImage **out) {
    return vips_extract_band(in, out, band, "n", n, NULL);
}

int cvips_linear1(VipsImage *in, double a, double b, int uchar_out, VipsImage **out) {
    return vips_linear1(in, out, a, b, "uchar", uchar_out, NULL);
}

int cvips_linear(VipsImage *in, const double *a, const double *b, int n, int uchar_out, VipsImage **out) {
    return vips_linear(in, out, a, b, n, "uchar", uchar_out, NULL);
}

int cvips_composite2(VipsImage *base, VipsImage *overlay, VipsBlendMode mode, int x, int y, VipsImage **out) {
    return vips_composite2(base, overlay, out, mode, "x", x, "y", y, NULL);
}

int cvips_gaussblur(VipsImage *in, double sigma, VipsImage **out) {
    return vips_gaussblur(in, out, sigma, NULL);
}

int cvips_affine(VipsImage *in, double a, double b, double c, double d, double odx, double ody,
                 int out_left, int out_top, int out_width, int out_height,
                 const double *background, int n_background, VipsImage **out) {
    VipsArrayInt *area = vips_array_int_newv(4, out_left, out_top, out_width, out_height);
    VipsArrayDouble *bg = vips_array_double_new(background, n_background);
    VipsInterpolate *interpolate = vips_interpolate_new("bilinear");
    int rc = vips_affine(in, out, a, b, c, d,
                         "odx", odx, "ody", ody, "oarea", area,
                         "background", bg, "interpolate", interpolate,
                         "extend", VIPS_EXTEND_BACKGROUND, NULL);
    g_object_unref(interpolate);
    vips_area_unref(VIPS_AREA(bg));
    vips_area_unref(VIPS_AREA(area));
    return rc;
}

int cvips_text(const char *markup, const char *font, int width, int dpi, VipsImage **out) {
    if (width > 0)
        return vips_text(out, markup, "font", font, "width", width, "dpi", dpi, "rgba", TRUE, NULL);
    return vips_text(out, markup, "font", font, "dpi", dpi, "rgba", TRUE, NULL);
}

int cvips_set_resolution(VipsImage *in, double pixels_per_mm, VipsImage **out) {
    return vips_copy(in, out, "xres", pixels_per_mm, "yres", pixels_per_mm, NULL);
}

int cvips_find_trim(VipsImage *in, double threshold, const double *background, int n,
                    int *left, int *top, int *width, int *height) {
    VipsArrayDouble *bg = vips_array_double_new(background, n);
    int rc = vips_find_trim(in, left, top, width, height, "threshold", threshold, "background", bg, NULL);
    vips_area_unref(VIPS_AREA(bg));
    return rc;
}

int cvips_copy_interpretation(VipsImage *in, VipsInterpretation space, VipsImage **out) {
    return vips_copy(in, out, "interpretation", space, NULL);
}

int cvips_disc_blur(VipsImage *in, int radius, VipsImage **out) {
    int side = 2 * radius + 1;
    double *weights = g_new0(double, side * side);
    double total = 0;
    for (int y = 0; y < side; y++)
        for (int x = 0; x < side; x++) {
            int dx = x - radius, dy = y - radius;
            if (dx * dx + dy * dy <= radius * radius) { weights[y * side + x] = 1; total += 1; }
        }
    VipsImage *mask = vips_image_new_matrix_from_array(side, side, weights, side * side);
    g_free(weights);
    if (!mask) return -1;
    vips_image_set_double(mask, "scale", total);
    int rc = vips_conv(in, out, mask, "precision", VIPS_PRECISION_INTEGER, NULL);
    g_object_unref(mask);
    return rc;
}

int cvips_add_alpha(VipsImage *in, VipsImage **out) { return vips_addalpha(in, out, NULL); }

int cvips_premultiply(VipsImage *in, VipsImage **out) { return vips_premultiply(in, out, NULL); }
int cvips_unpremultiply(VipsImage *in, VipsImage **out) { return vips_unpremultiply(in, out, NULL); }

int cvips_flip(VipsImage *in, int horizontal, VipsImage **out) {
    return vips_flip(in, out, horizontal ? VIPS_DIRECTION_HORIZONTAL : VIPS_DIRECTION_VERTICAL, NULL);
}

/* Colour under fully transparent pixels is invisible; zeroing it lets the encoder store those pixels as
 * runs. 8-bit images with an alpha band only (the AND with a 0/255 mask would clip wider samples). */
int cvips_clear_transparent(VipsImage *in, VipsImage **out) {
    if (in->BandFmt != VIPS_FORMAT_UCHAR || (in->Bands != 2 && in->Bands != 4)) return vips_copy(in, out, NULL);
    VipsImage *alpha = NULL, *visible = NULL;
    if (vips_extract_band(in, &alpha, in->Bands - 1, NULL)) return -1;
    int status = vips_moreeq_const1(alpha, &visible, 1, NULL);
    g_object_unref(alpha);
    if (status) return -1;
    status = vips_andimage(in, visible, out, NULL);
    g_object_unref(visible);
    return status;
}

int cvips_without_metadata(VipsImage *in, VipsImage **out) {
    if (vips_copy(in, out, NULL)) return -1;
    gchar **fields = vips_image_get_fields(*out);
    for (int i = 0; fields[i]; i++) {
        const char *name = fields[i];
        if (vips_image_get_typeof(*out, name) == VIPS_TYPE_BLOB || g_str_has_prefix(name, "exif-") ||
            g_str_has_prefix(name, "png-comment") || strcmp(name, "orientation") == 0)
            vips_image_remove(*out, name);
    }
    g_strfreev(fields);
    return 0;
}

int cvips_pngsave(VipsImage *in, int compression, int filter, void **buf, size_t *len) {
    return vips_pngsave_buffer(in, buf, len, "compression", compression, "filter", filter, NULL);
}

int cvips_jpegsave(VipsImage *in, int quality, void **buf, size_t *len) {
    return vips_jpegsave_buffer(in, buf, len, "Q", quality, "optimize_coding", TRUE, NULL);
}

int cvips_webpsave(VipsImage *in, int quality, int lossless, int effort, void **buf, size_t *len) {
    return vips_webpsave_buffer(in, buf, len, "Q", quality, "lossless", lossless, "effort", effort, NULL);
}

int cvips_avifsave(VipsImage *in, int quality, int effort, void **buf, size_t *len) {
    return vips_heifsave_buffer(in, buf, len, "Q", quality, "effort", effort,
                                "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1, NULL);
}

const void *cvips_memory_pixels(VipsImage *in, size_t *len) {
    if (in->dtype != VIPS_IMAGE_SETBUF && in->dtype != VIPS_IMAGE_SETBUF_FOREIGN) return NULL;
    if (!in->data) return NULL;
    *len = VIPS_IMAGE_SIZEOF_IMAGE(in);
    return in->data;
}

int cvips_orientation(VipsImage *in) {
    return vips_image_get_orientation(in);
}
