#!/usr/bin/env node
// `sfzd` from npm's bin: run the TypeScript entry point through tsx's CommonJS loader (no build step).
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
require('tsx/cjs');
require('../client/cli/main.ts');
