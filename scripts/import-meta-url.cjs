// Lets ESM code that reads import.meta.url run inside the CommonJS bundle Electron loads.
export const importMetaUrl = require('url').pathToFileURL(__filename).href;
