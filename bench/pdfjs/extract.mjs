// PDF [MAX_PAGES] → JSON list of page texts as pdf.js (Firefox) extracts them: text items joined
// in order, the first MAX_PAGES pages (all by default). A PDF pdf.js cannot read: one line on
// stderr, exit 1.
import { getDocument } from "./node_modules/pdfjs-dist/legacy/build/pdf.mjs";
import fs from "fs";
try {
  const data = new Uint8Array(fs.readFileSync(process.argv[2]));
  const limit = process.argv[3] ? Number(process.argv[3]) : Infinity;
  const doc = await getDocument({ data, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages = [];
  for (let i = 1; i <= Math.min(doc.numPages, limit); i++) {
    const page = await doc.getPage(i);
    const tc = await page.getTextContent();
    let out = "";
    for (const item of tc.items) { out += item.str; if (item.hasEOL) out += "\n"; }
    pages.push(out);
    page.cleanup();
  }
  process.stdout.write(JSON.stringify(pages));
} catch (error) {
  process.stderr.write(String(error?.message ?? error).split("\n")[0] + "\n");
  process.exit(1);
}
