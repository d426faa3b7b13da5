#!/usr/bin/env bash
# Refresh the vendored front-end assets in static/vendor/ from the npm registry.
# Versions are pinned; bump them here, re-run, and update static/vendor/README.md.
#   usage: scripts/vendor-assets.sh
set -euo pipefail

PICO=2.1.1          # @picocss/pico
PLOTLY=4.1.1        # plotly.js-cartesian-dist-min (and plotly.js for the fr locale)
SORTABLE=1.15.7     # sortablejs

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false

fetch() {  # fetch NAME@VERSION DIR: npm pack + unpack into $work/DIR/package
  mkdir -p "$work/$2"
  (cd "$work/$2" && npm pack --silent "$1" >/dev/null && tar xzf ./*.tgz)
}

fetch "@picocss/pico@$PICO" pico
fetch "plotly.js-cartesian-dist-min@$PLOTLY" plotly
fetch "plotly.js@$PLOTLY" plotlyjs       # only for dist/plotly-locale-fr.js and dist/plotly.css
fetch "sortablejs@$SORTABLE" sortable

mkdir -p "$dest/pico" "$dest/plotly" "$dest/sortable"
install -m 644 "$work/pico/package/css/pico.min.css"               "$dest/pico/pico.min.css"
install -m 644 "$work/pico/package/LICENSE.md"                     "$dest/pico/LICENSE.md"
install -m 644 "$work/plotly/package/plotly-cartesian.min.js"      "$dest/plotly/plotly-cartesian.min.js"
install -m 644 "$work/plotly/package/LICENSE"                      "$dest/plotly/LICENSE"
install -m 644 "$work/plotlyjs/package/dist/plotly-locale-fr.js"   "$dest/plotly/plotly-locale-fr.js"
# plotly.css: the rules plotly would inject in a <style> tag, which a CSP
# without style-src 'unsafe-inline' blocks; link it in the page instead.
install -m 644 "$work/plotlyjs/package/dist/plotly.css"            "$dest/plotly/plotly.css"
install -m 644 "$work/sortable/package/Sortable.min.js"            "$dest/sortable/Sortable.min.js"
install -m 644 "$work/sortable/package/LICENSE"                    "$dest/sortable/LICENSE"

# The app's CSP has no 'unsafe-eval': fail if plotly starts needing it.
if grep -nE 'eval\(|new Function' "$dest/plotly/plotly-cartesian.min.js" >/dev/null; then
  echo "WARNING: plotly-cartesian.min.js contains eval( or new Function" >&2
fi
(cd "$dest" && sha256sum */*.js */*.css)
