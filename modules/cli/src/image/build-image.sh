#!/bin/sh
# Builds the widenet runtime image (run by Maven in modules/cli's package phase): a jlink image of the JDK modules
# widenet needs, every widenet module and its dependencies (the three automatic modules with the descriptors
# moditect added, target/modules/), bin/widenet inside, jdk.incubator.vector resolved by default, and an
# ahead-of-time cache (JEP 483/514/515) trained on a tiny run.
#   build-image.sh TARGET_DIR ROOT_DIR [aot]
set -eu
TARGET=$1
ROOT=$2
AOT=${3:-aot}
JAVA_HOME=$("$ROOT/bin/find-jdk" 25)
NEW="$TARGET/image.new"
rm -rf "$NEW" "$TARGET/image-modules"
mkdir -p "$TARGET/image-modules"
cp "$TARGET"/lib/*.jar "$TARGET/image-modules/"
cp "$TARGET"/modules/*.jar "$TARGET/image-modules/"   # the automatic modules, now with descriptors
cp "$TARGET"/widenet-cli-*.jar "$TARGET/image-modules/"

# The kernel providers are bound through ServiceLoader (jlink binds no services unless told); the JDK modules after
# them are the ones the optional Hazelcast adapter needs (WIDENET_MODULES, docs/install.md), ~3 MB.
"$JAVA_HOME/bin/jlink" --module-path "$TARGET/image-modules" \
  --add-modules widenet.cli,widenet.kernel.scalar,widenet.kernel.simd,jdk.incubator.vector \
  --add-modules java.management,java.naming,java.sql,java.transaction.xa,jdk.net,jdk.unsupported,jdk.management \
  --add-options="--add-modules=jdk.incubator.vector" \
  --strip-debug --no-header-files --no-man-pages \
  --output "$NEW"
cp "$ROOT/modules/cli/src/image/widenet" "$NEW/bin/widenet"
chmod +x "$NEW/bin/widenet"

if [ "$AOT" = aot ]; then
  # JEP 514 one-step training: record what a tiny train and a report load and link, write lib/widenet.aot.
  # The run also shows the image needs no JDK: no java on its PATH (only the tools its launcher script uses), no JAVA_HOME.
  work=$(mktemp -d)
  mkdir "$work/bin"
  for tool in sh dirname readlink ls; do ln -s "$(command -v $tool)" "$work/bin/$tool"; done
  env -u JAVA_HOME PATH="$work/bin" WIDENET_AOT_OUTPUT="$NEW/lib/widenet.aot" "$NEW/bin/widenet" train --n 32 --d 16 --m 64 --steps 20 --quiet \
    --out "$work/run" >/dev/null 2>"$work/log" || { cat "$work/log" >&2; rm -rf "$work"; exit 1; }
  rm -rf "$work"
fi

# Swap in the new image (a widenet running from the old one keeps its open files).
rm -rf "$TARGET/image.old"
[ -d "$TARGET/image" ] && mv "$TARGET/image" "$TARGET/image.old"
mv "$NEW" "$TARGET/image"
rm -rf "$TARGET/image.old" "$TARGET/image-modules"
