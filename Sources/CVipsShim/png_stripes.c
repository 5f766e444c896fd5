#include "png_stripes.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* One row as written: with `clear`, the colour of fully transparent pixels (alpha, the last of `bands`, is 0)
 * is zeroed, as rembg and Photoroom send it; such pixels then compress to runs. */
static void written_row(const uint8_t *source, size_t row_bytes, int bands, int clear, uint8_t *row) {
    memcpy(row, source, row_bytes);
    if (!clear) return;
    for (size_t x = 0; x < row_bytes; x += (size_t)bands)
        if (row[x + (size_t)bands - 1] == 0) memset(row + x, 0, (size_t)bands - 1);
}

int png_stripe_deflate(const uint8_t *pixels, size_t row_bytes, int bands, int clear, int first, int count, int last,
                       int level, int up, uint8_t **out, size_t *out_length, uint32_t *adler, uint32_t *chunk_crc) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    /* Negative window bits: raw deflate, the zlib header and trailer are written once for all stripes. */
    if (deflateInit2(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    /* Room for the stripe even if it does not compress, plus the flush's empty stored block. */
    size_t capacity = deflateBound(&stream, (row_bytes + 1) * (size_t)count) + 16;
    uint8_t *compressed = malloc(capacity);
    /* Rows are filtered one at a time into a small buffer (a stripe-sized one cost more in page faults). */
    uint8_t *above = malloc(row_bytes), *current = malloc(row_bytes), *filtered = malloc(row_bytes + 1);
    int ok = compressed && above && current && filtered;
    if (ok && first > 0) written_row(pixels + row_bytes * (size_t)(first - 1), row_bytes, bands, clear, above);
    uLong sum = adler32(0L, Z_NULL, 0);
    stream.next_out = compressed;
    stream.avail_out = (uInt)capacity;
    for (int r = 0; ok && r < count; r++) {
        int y = first + r;
        written_row(pixels + row_bytes * (size_t)y, row_bytes, bands, clear, current);
        /* The first row has no row above: "up" would equal none there, and none says so. */
        if (up && y > 0) {
            filtered[0] = 2;
            for (size_t x = 0; x < row_bytes; x++) filtered[1 + x] = (uint8_t)(current[x] - above[x]);
        } else {
            filtered[0] = 0;
            memcpy(filtered + 1, current, row_bytes);
        }
        sum = adler32(sum, filtered, (uInt)(row_bytes + 1));
        stream.next_in = filtered;
        stream.avail_in = (uInt)(row_bytes + 1);
        ok = deflate(&stream, Z_NO_FLUSH) == Z_OK && stream.avail_in == 0;
        uint8_t *swap = above; above = current; current = swap;
    }
    if (ok) {
        /* Z_SYNC_FLUSH ends on a byte boundary without marking the final block, so the next stripe can follow. */
        int status = deflate(&stream, last ? Z_FINISH : Z_SYNC_FLUSH);
        ok = last ? status == Z_STREAM_END : status == Z_OK;
    }
    size_t length = stream.total_out;
    deflateEnd(&stream);
    free(above);
    free(current);
    free(filtered);
    if (!ok) { free(compressed); return -1; }
    *out = compressed;
    *out_length = length;
    *adler = (uint32_t)sum;
    *chunk_crc = png_chunk_crc((const uint8_t *)"IDAT", compressed, length);
    return 0;
}

void png_stripe_free(uint8_t *data) { free(data); }

uint32_t png_adler32_combine(uint32_t first, uint32_t second, size_t second_length) {
    return (uint32_t)adler32_combine(first, second, (z_off_t)second_length);
}

uint32_t png_chunk_crc(const uint8_t type[4], const uint8_t *data, size_t length) {
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, type, 4);
    if (length > 0) crc = crc32(crc, data, (uInt)length);
    return (uint32_t)crc;
}
