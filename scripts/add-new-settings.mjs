// Adds to local.settings.json the Values that local.settings.sample.json has and it lacks; changes nothing else.
// Usage: node scripts/add-new-settings.mjs SAMPLE LOCAL
import { readFileSync, writeFileSync } from "node:fs";

const [samplePath, localPath] = process.argv.slice(2);
let sample, local;
try {
  sample = JSON.parse(readFileSync(samplePath, "utf8"));
  local = JSON.parse(readFileSync(localPath, "utf8"));
} catch (error) {
  console.error(`add-new-settings: ${localPath} left as it is: ${error.message}`);
  process.exit(0);
}
local.Values ??= {};
const added = Object.keys(sample.Values ?? {}).filter((key) => !(key in local.Values));
for (const key of added) {
  local.Values[key] = sample.Values[key];
}
if (added.length > 0) {
  writeFileSync(localPath, JSON.stringify(local, null, 2) + "\n");
  console.log(`Added to ${localPath} from ${samplePath}: ${added.join(", ")}`);
}
