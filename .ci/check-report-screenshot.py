#!/usr/bin/env python3
"""Checks a headless-Chromium screenshot of a TalentFlow report (standard library only).

usage: check-report-screenshot.py SCREENSHOT.png CHROMIUM_STDERR.log

Fails (exit 1) when
  - the browser log shows a console message (the report has no script, so any message is a
    JavaScript error or a blocked load),
  - the page is blank (almost every pixel is the background colour),
  - the charts are missing: too few pixels in the Okabe-Ito sector colours (big tech blue,
    startup orange) or too few page bands with any coloured chart pixels.
The PNG is decoded here with zlib (8-bit RGB or RGBA, non-interlaced, as Chromium writes).
"""
import struct
import sys
import zlib


def read_png(path):
    """Returns (width, height, channels, rows) with rows a list of bytes, one per scanline."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG file")
    pos = 8
    idat = []
    width = height = channels = None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace != 0:
                raise SystemExit(
                    f"{path}: unsupported PNG (bit depth {depth}, colour type {colour}, "
                    f"interlace {interlace})")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:  # Sub
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:  # Up
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous))
        elif kind == 3:  # Average
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + predictor) & 0xFF
        elif kind != 0:
            raise SystemExit(f"{path}: bad PNG filter {kind} on row {y}")
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def near(pixel, colour, tolerance):
    return all(abs(p - c) <= tolerance for p, c in zip(pixel, colour))


def blend(colour, opacity):
    """A palette colour drawn at `opacity` over white, as the stacked areas are."""
    return tuple(round(c * opacity + 255 * (1 - opacity)) for c in colour)


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    png, log = sys.argv[1], sys.argv[2]
    problems = []

    console = [line.strip() for line in open(log, encoding="utf-8", errors="replace")
               if ":CONSOLE" in line or "Uncaught" in line]
    for line in console:
        problems.append(f"browser console: {line}")

    width, height, channels, rows = read_png(png)
    # Sample every second pixel of every second row: plenty for counting, twice as fast.
    counts = {}
    band_height = 200
    bands = [0] * ((height + band_height - 1) // band_height)
    blue = blend((0x00, 0x72, 0xB2), 0.85)
    orange = blend((0xE6, 0x9F, 0x00), 0.85)
    sector_pixels = {"big tech blue": 0, "startup orange": 0}
    sampled = 0
    for y in range(0, height, 2):
        row = rows[y]
        for x in range(0, width, 2):
            i = x * channels
            pixel = (row[i], row[i + 1], row[i + 2])
            sampled += 1
            counts[pixel] = counts.get(pixel, 0) + 1
            if max(pixel) - min(pixel) > 60:  # a saturated, chart-coloured pixel
                bands[y // band_height] += 1
                if near(pixel, blue, 40):
                    sector_pixels["big tech blue"] += 1
                elif near(pixel, orange, 40):
                    sector_pixels["startup orange"] += 1
    background, background_count = max(counts.items(), key=lambda item: item[1])
    other = 1 - background_count / sampled
    print(f"screenshot {width}x{height}: background {background} covers "
          f"{100 * (1 - other):.1f}%, {len(counts)} distinct colours sampled")
    if other < 0.05:
        problems.append(f"the page looks blank: only {100 * other:.2f}% of pixels differ from "
                        f"the background {background}")
    per_band = (band_height // 2) * (width // 2)
    coloured_bands = sum(1 for n in bands if n >= 0.01 * per_band)
    print(f"bands of {band_height}px with chart colour: {coloured_bands} of {len(bands)}; "
          f"sector pixels: {sector_pixels}")
    for name, n in sector_pixels.items():
        if n < 2000:
            problems.append(f"too few {name} pixels ({n} sampled): the employment chart is missing")
    if coloured_bands < max(3, len(bands) // 3):
        problems.append(f"only {coloured_bands} of {len(bands)} page bands show chart colours")

    if problems:
        for p in problems:
            print(f"FAIL: {p}", file=sys.stderr)
        sys.exit(1)
    print("screenshot check passed")


if __name__ == "__main__":
    main()
