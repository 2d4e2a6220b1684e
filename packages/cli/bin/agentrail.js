#!/usr/bin/env node
// Thin launcher so the bin works straight after `npm ci && npm run build`
// (tsc does not set the executable bit on its output).
import '../dist/main.js';
