# Sourced by bench/agent and bench/describe (after bench/build.sh): starts a 1920x1080 Xvfb on a
# free display with the test fixture FormWindow (a real Swing form) at 100,100 800x600, exports
# DISPLAY, and stops both on exit.
command -v Xvfb >/dev/null || { echo "bench: Xvfb is missing (apt-get install xvfb)" >&2; exit 1; }
n=$((150 + RANDOM % 300))
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
Xvfb ":$n" -nolisten tcp -screen 0 1920x1080x24 >/dev/null 2>&1 &
XVFB_PID=$!
FORM_PID=""
FORM_LOG="$(mktemp)"
trap 'kill $FORM_PID $XVFB_PID 2>/dev/null || true; rm -f "$FORM_LOG"' EXIT
for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.05; done
export DISPLAY=":$n"
"$JAVA_HOME/bin/java" -cp "$CLASSES:$JAR" dev.pixelsense.testing.FormWindow 100,100,800,600 >"$FORM_LOG" 2>&1 &
FORM_PID=$!
for _ in $(seq 300); do grep -q READY "$FORM_LOG" && break; sleep 0.1; done
grep -q READY "$FORM_LOG" || { echo "bench: the form window did not start: $(cat "$FORM_LOG")" >&2; exit 1; }
