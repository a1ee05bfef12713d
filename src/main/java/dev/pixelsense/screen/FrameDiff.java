package dev.pixelsense.screen;

import java.util.ArrayList;
import java.util.List;

/**
 * What changed between two frames of the same size: the fraction of pixels that differ and the
 * boxes around the changed areas, in frame pixel coordinates. Changed pixels are grouped through
 * 16x16 tiles (touching changed tiles form one area), so a blinking caret and a repainted dialog
 * come out as separate boxes without a per-pixel flood fill; each box is then shrunk to the exact
 * changed pixels inside its tiles.
 *
 * @param changedFraction changed pixels / all pixels, 0 to 1
 * @param boxes           one rectangle per connected changed area, largest area first
 */
public record FrameDiff(double changedFraction, List<Rect> boxes) {
    private static final int TILE = 16;

    public FrameDiff {
        boxes = List.copyOf(boxes);
    }

    public boolean changed() {
        return !boxes.isEmpty();
    }

    /** @throws IllegalArgumentException when the frames differ in size */
    public static FrameDiff between(Frame before, Frame after) {
        int w = before.width();
        int h = before.height();
        if (w != after.width() || h != after.height()) {
            throw new IllegalArgumentException("frames differ in size: " + w + "x" + h + " and " + after.width() + "x"
                    + after.height());
        }
        int tw = (w + TILE - 1) / TILE;
        int th = (h + TILE - 1) / TILE;
        // per tile: exact bounds of its changed pixels (minX, minY, maxX, maxY), or minX = -1 if none
        int[] tiles = new int[tw * th * 4];
        java.util.Arrays.fill(tiles, -1);
        long changed = 0;
        int[] a = before.pixels();
        int[] b = after.pixels();
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                if (((a[row + x] ^ b[row + x]) & 0xFFFFFF) != 0) {
                    changed++;
                    int t = ((y / TILE) * tw + x / TILE) * 4;
                    if (tiles[t] < 0) {
                        tiles[t] = x;
                        tiles[t + 1] = y;
                        tiles[t + 2] = x;
                        tiles[t + 3] = y;
                    } else {
                        tiles[t] = Math.min(tiles[t], x);
                        tiles[t + 2] = Math.max(tiles[t + 2], x);
                        tiles[t + 3] = y; // rows are scanned in order
                    }
                }
            }
        }
        return new FrameDiff((double) changed / ((long) w * h), group(tiles, tw, th));
    }

    private static List<Rect> group(int[] tiles, int tw, int th) {
        boolean[] seen = new boolean[tw * th];
        int[] stack = new int[tw * th];
        List<Rect> boxes = new ArrayList<>();
        for (int start = 0; start < seen.length; start++) {
            if (seen[start] || tiles[start * 4] < 0) {
                continue;
            }
            int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            while (top > 0) {
                int t = stack[--top];
                minX = Math.min(minX, tiles[t * 4]);
                minY = Math.min(minY, tiles[t * 4 + 1]);
                maxX = Math.max(maxX, tiles[t * 4 + 2]);
                maxY = Math.max(maxY, tiles[t * 4 + 3]);
                int tx = t % tw;
                int ty = t / tw;
                int[] neighbours = {tx > 0 ? t - 1 : -1, tx < tw - 1 ? t + 1 : -1, ty > 0 ? t - tw : -1,
                    ty < th - 1 ? t + tw : -1};
                for (int n : neighbours) {
                    if (n >= 0 && !seen[n] && tiles[n * 4] >= 0) {
                        seen[n] = true;
                        stack[top++] = n;
                    }
                }
            }
            boxes.add(new Rect(minX, minY, maxX - minX + 1, maxY - minY + 1));
        }
        boxes.sort((p, q) -> Long.compare((long) q.width() * q.height(), (long) p.width() * p.height()));
        return boxes;
    }
}
