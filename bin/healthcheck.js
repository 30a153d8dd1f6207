#!/usr/bin/env node
// The worker image's HEALTHCHECK: asks the worker's health endpoint (HEALTH_PORT) whether it polls.
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';
require('tsx/cjs');
require('../worker/healthcheck.ts');
