// Copy the third-party browser files the UI needs from node_modules into ../static/vendor.
// Run by `make install` after `npm ci`; the app serves them itself (no CDN, no network).
import { copyFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static", "vendor");
const files = {
  "d3-array/dist/d3-array.min.js": "d3-array.min.js",
  "d3-geo/dist/d3-geo.min.js": "d3-geo.min.js",
  "topojson-client/dist/topojson-client.min.js": "topojson-client.min.js",
  "uplot/dist/uPlot.iife.min.js": "uPlot.iife.min.js",
  "uplot/dist/uPlot.min.css": "uPlot.min.css",
  "world-atlas/countries-110m.json": "countries-110m.json",
};

mkdirSync(out, { recursive: true });
for (const [from, to] of Object.entries(files)) {
  const source = join(here, "node_modules", from);
  if (!existsSync(source)) {
    console.error(`missing ${source}: run npm ci in ${here}`);
    process.exit(1);
  }
  copyFileSync(source, join(out, to));
}
console.log(`copied ${Object.keys(files).length} files to ${out}`);
