// PDF → JSON list of page texts as pdf.js (Firefox) extracts them: text items joined in order.
import { getDocument } from "./node_modules/pdfjs-dist/legacy/build/pdf.mjs";
import fs from "fs";
const data = new Uint8Array(fs.readFileSync(process.argv[2]));
const doc = await getDocument({ data, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
const pages = [];
for (let i = 1; i <= doc.numPages; i++) {
  const page = await doc.getPage(i);
  const tc = await page.getTextContent();
  let out = "";
  for (const item of tc.items) { out += item.str; if (item.hasEOL) out += "\n"; }
  pages.push(out);
}
process.stdout.write(JSON.stringify(pages));
