package dev.pixelsense.screen;

import dev.pixelsense.error.BadRequestException;

/**
 * An axis-aligned rectangle in virtual-desktop coordinates (x grows right, y grows down; the
 * origin is the top-left of the bounding box of all monitors on X11, of the primary monitor on
 * macOS and Windows, so x and y may be negative there).
 */
public record Rect(int x, int y, int width, int height) {
    public Rect {
        if (width <= 0 || height <= 0) {
            throw new BadRequestException("A rectangle needs a positive width and height, got " + width + "x" + height,
                    "region");
        }
    }

    /** Parses {@code x,y,w,h} (what {@code --region} takes). */
    public static Rect parse(String text) {
        String[] parts = text.split(",");
        if (parts.length != 4) {
            throw new BadRequestException("A region is x,y,width,height (e.g. 0,0,800,600), got '" + text + "'", "region");
        }
        int[] v = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new BadRequestException("A region is x,y,width,height in whole pixels, got '" + text + "'", "region");
            }
        }
        return new Rect(v[0], v[1], v[2], v[3]);
    }

    public int right() {
        return x + width;
    }

    public int bottom() {
        return y + height;
    }

    public boolean contains(Rect other) {
        return other.x >= x && other.y >= y && other.right() <= right() && other.bottom() <= bottom();
    }

    public boolean contains(int px, int py) {
        return px >= x && py >= y && px < right() && py < bottom();
    }

    /** The smallest rectangle holding both. */
    public Rect union(Rect other) {
        int left = Math.min(x, other.x);
        int top = Math.min(y, other.y);
        return new Rect(left, top, Math.max(right(), other.right()) - left, Math.max(bottom(), other.bottom()) - top);
    }

    @Override
    public String toString() {
        return x + "," + y + "," + width + "," + height;
    }
}
