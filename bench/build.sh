# Sourced by bench/run, bench/pull, bench/llama and bench/ocr (ROOT set to the repository): finds a JDK 25
# through scripts/java-home.sh, builds target/pixelsense.jar if it is missing or older than the
# sources, compiles the test fixtures bench/src uses (src/test/.../testing/TinyGguf, FormWindow) if
# missing or stale, and compiles bench/src against both into target/bench-classes when any
# changed; the fixture classes are copied there, so "$CLASSES:$JAR" is the whole class path.
# Sets JAR and CLASSES.
. "$ROOT/scripts/java-home.sh"
JAR="$ROOT/target/pixelsense.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]; then
  echo "bench: building target/pixelsense.jar..." >&2
  if ! (cd "$ROOT" && ./mvnw -q -B -DskipTests package >"$ROOT/target-build.log" 2>&1); then
    echo "bench: the build failed; see $ROOT/target-build.log" >&2
    exit 1
  fi
  rm -f "$ROOT/target-build.log"
fi
FIXTURES="$ROOT/target/test-classes/dev/pixelsense/testing"
if [ ! -f "$FIXTURES/TinyGguf.class" ] \
    || [ -n "$(find "$ROOT/src/test/java/dev/pixelsense/testing/TinyGguf.java" -newer "$FIXTURES/TinyGguf.class" -print -quit)" ]; then
  echo "bench: compiling the test fixture (TinyGguf)..." >&2
  if ! (cd "$ROOT" && ./mvnw -q -B -DskipTests test-compile >"$ROOT/target-build.log" 2>&1); then
    echo "bench: the build failed; see $ROOT/target-build.log" >&2
    exit 1
  fi
  rm -f "$ROOT/target-build.log"
fi
CLASSES="$ROOT/target/bench-classes"
STAMP="$CLASSES/.compiled"
if [ ! -f "$STAMP" ] || [ -n "$(find "$ROOT/bench/src" "$JAR" "$FIXTURES" -newer "$STAMP" -print -quit)" ]; then
  rm -rf "$CLASSES"
  mkdir -p "$CLASSES/dev/pixelsense/testing"
  find "$ROOT/bench/src" -name '*.java' -print0 \
    | xargs -0 "$JAVA_HOME/bin/javac" -d "$CLASSES" -cp "$JAR:$ROOT/target/test-classes" --release 25
  cp "$FIXTURES"/TinyGguf*.class "$FIXTURES"/FormWindow*.class "$CLASSES/dev/pixelsense/testing/"
  touch "$STAMP"
fi
