# Sourced by bench/run, bench/pull and bench/ocr (ROOT set to the repository): finds a JDK 25 through
# scripts/java-home.sh, builds target/pixelsense.jar if it is missing or older than the sources,
# and compiles bench/src against it into target/bench-classes when either changed. Sets JAR and
# CLASSES.
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
CLASSES="$ROOT/target/bench-classes"
STAMP="$CLASSES/.compiled"
if [ ! -f "$STAMP" ] || [ -n "$(find "$ROOT/bench/src" "$JAR" -newer "$STAMP" -print -quit)" ]; then
  rm -rf "$CLASSES"
  mkdir -p "$CLASSES"
  find "$ROOT/bench/src" -name '*.java' -print0 | xargs -0 "$JAVA_HOME/bin/javac" -d "$CLASSES" -cp "$JAR" --release 25
  touch "$STAMP"
fi
