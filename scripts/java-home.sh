# Sourced by ./pixelsense and scripts/test: points JAVA_HOME at a JDK 25 or newer, or exits
# with a message that says what to install. Order: $JAVA_HOME, java on PATH, then the usual
# install folders of Linux and macOS.
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}
pixelsense_find_jdk() {
  local candidates=() c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in /usr/lib/jvm/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ]; then
      v="$(java_major "$c/bin/java")"
      if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
        echo "$c"
        return 0
      fi
    fi
  done
  return 1
}
if ! JAVA_HOME="$(pixelsense_find_jdk)"; then
  echo "pixelsense: no JDK 25 found (looked at \$JAVA_HOME, PATH and /usr/lib/jvm). Install a JDK 25," \
       "e.g. Temurin 25, and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
