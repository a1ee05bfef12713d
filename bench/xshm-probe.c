/*
 * The floor under any MIT-SHM capture, measured without a JVM: the same shared-memory screen read
 * through Xlib (XShmGetImage, what pixelsense and python-mss's Xlib backend call) and through XCB
 * (xcb_shm_get_image on the same connection via XGetXCBConnection, what python-mss's default XCB
 * backend calls), a CopyArea into a shared-memory pixmap (the other way MIT-SHM offers), plus the
 * DAMAGE round trip that tells a capture loop nothing was redrawn.
 * Prints markdown rows like bench/ScreenBench.java. bench/screen builds and runs it when a C
 * compiler and the X development headers are present:
 *   apt-get install gcc libx11-dev libx11-xcb-dev libxext-dev libxcb-shm0-dev libxdamage-dev libxfixes-dev
 * Usage: DISPLAY=:N xshm-probe SIZE FRAMES
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <X11/Xlib.h>
#include <X11/Xlib-xcb.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/Xdamage.h>
#include <X11/extensions/Xfixes.h>
#include <xcb/shm.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static void row(const char *size, const char *what, double *ms, int n) {
    qsort(ms, n, sizeof(double), by_value);
    printf("| %s | %s | %.2f | %.2f | C, no JVM |\n", size, what, ms[n / 2], ms[n * 9 / 10]);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: xshm-probe SIZE FRAMES\n");
        return 2;
    }
    int frames = atoi(argv[2]);
    Display *d = XOpenDisplay(NULL);
    if (!d || !XShmQueryExtension(d)) {
        fprintf(stderr, "xshm-probe: no display or no MIT-SHM\n");
        return 1;
    }
    int s = DefaultScreen(d);
    Window root = RootWindow(d, s);
    int w = DisplayWidth(d, s), h = DisplayHeight(d, s);
    XShmSegmentInfo info;
    XImage *img = XShmCreateImage(d, DefaultVisual(d, s), DefaultDepth(d, s), ZPixmap, NULL, &info, w, h);
    info.shmid = shmget(IPC_PRIVATE, (size_t) img->bytes_per_line * h, IPC_CREAT | 0600);
    info.shmaddr = img->data = shmat(info.shmid, NULL, 0);
    info.readOnly = False;
    XShmAttach(d, &info);
    XSync(d, False);
    shmctl(info.shmid, IPC_RMID, NULL);
    xcb_connection_t *c = XGetXCBConnection(d);
    double *ms = malloc(sizeof(double) * frames);
    int warmup = frames / 5 > 5 ? frames / 5 : 5;

    for (int i = 0; i < warmup; i++) XShmGetImage(d, root, img, 0, 0, AllPlanes);
    for (int i = 0; i < frames; i++) {
        double t0 = now_ms();
        XShmGetImage(d, root, img, 0, 0, AllPlanes);
        ms[i] = now_ms() - t0;
    }
    row(argv[1], "Xlib XShmGetImage, full frame", ms, frames);

    for (int i = 0; i < warmup; i++) {
        free(xcb_shm_get_image_reply(c, xcb_shm_get_image(c, root, 0, 0, w, h, ~0u, XCB_IMAGE_FORMAT_Z_PIXMAP,
                info.shmseg, 0), NULL));
    }
    for (int i = 0; i < frames; i++) {
        double t0 = now_ms();
        free(xcb_shm_get_image_reply(c, xcb_shm_get_image(c, root, 0, 0, w, h, ~0u, XCB_IMAGE_FORMAT_Z_PIXMAP,
                info.shmseg, 0), NULL));
        ms[i] = now_ms() - t0;
    }
    row(argv[1], "xcb_shm_get_image, full frame", ms, frames);

    /* a shared-memory pixmap the server copies the root into with CopyArea (a round trip to know it is done) */
    if (XShmPixmapFormat(d) == ZPixmap) {
        Pixmap pixmap = XShmCreatePixmap(d, root, info.shmaddr, &info, w, h, DefaultDepth(d, s));
        GC gc = XCreateGC(d, pixmap, 0, NULL);
        XSetSubwindowMode(d, gc, IncludeInferiors);
        for (int i = 0; i < warmup; i++) {
            XCopyArea(d, root, pixmap, gc, 0, 0, w, h, 0, 0);
            XSync(d, False);
        }
        for (int i = 0; i < frames; i++) {
            double t0 = now_ms();
            XCopyArea(d, root, pixmap, gc, 0, 0, w, h, 0, 0);
            XSync(d, False);
            ms[i] = now_ms() - t0;
        }
        row(argv[1], "XCopyArea into a MIT-SHM pixmap + XSync, full frame", ms, frames);
    }

    int event_base, error_base, major, minor;
    if (XDamageQueryExtension(d, &event_base, &error_base) && XDamageQueryVersion(d, &major, &minor)
            && XFixesQueryExtension(d, &event_base, &error_base) && XFixesQueryVersion(d, &major, &minor)) {
        Damage damage = XDamageCreate(d, root, XDamageReportNonEmpty);
        XserverRegion region = XFixesCreateRegion(d, NULL, 0);
        for (int i = 0; i < frames; i++) {
            double t0 = now_ms();
            int n;
            XDamageSubtract(d, damage, None, region);
            XRectangle *rects = XFixesFetchRegion(d, region, &n);
            ms[i] = now_ms() - t0;
            if (rects) XFree(rects);
        }
        row(argv[1], "XDamage subtract + fetch, nothing redrawn", ms, frames);
    }
    return 0;
}
