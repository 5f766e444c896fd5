#ifndef PNG_STRIPES_H
#define PNG_STRIPES_H

#include <stddef.h>
#include <stdint.h>

/* PNG image data compressed in horizontal stripes on several threads (pigz's method). Each stripe's rows are
 * filtered and deflated as raw deflate blocks that end on a byte boundary; only the last stripe ends the
 * stream, so the stripes, written one after another, are one valid zlib stream.
 *
 * Compresses rows [first, first + count) of an 8-bit image with `row_bytes` bytes per row and `bands` bands;
 * with `clear`, the colour under alpha 0 (the last band) is written as 0. `up` chooses the
 * "up" row filter (the row above, which stays readable across stripes) over none. On success returns 0 and
 * sets `out` (free with png_stripe_free), its length, the Adler-32 of the filtered bytes and the CRC-32 of
 * "IDAT" followed by `out` (the stripe is written as one IDAT chunk). */
int png_stripe_deflate(const uint8_t *pixels, size_t row_bytes, int bands, int clear, int first, int count, int last,
                       int level, int up, uint8_t **out, size_t *out_length, uint32_t *adler, uint32_t *chunk_crc);
void png_stripe_free(uint8_t *data);

/* Adler-32 of two pieces joined, from their own sums and the second one's length (zlib's adler32_combine). */
uint32_t png_adler32_combine(uint32_t first, uint32_t second, size_t second_length);
/* CRC-32 of a PNG chunk: its 4-letter type followed by its data. */
uint32_t png_chunk_crc(const uint8_t type[4], const uint8_t *data, size_t length);

#endif
