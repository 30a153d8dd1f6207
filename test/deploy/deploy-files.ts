/** Reading the deployment files (docker-compose.yml, Dockerfile) the way Docker would, for the deploy tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(__dirname, '..', '..');

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  container_name?: string;
  ports?: unknown[];
  environment?: Record<string, string | number>;
  env_file?: string | string[];
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  profiles?: string[];
  healthcheck?: { disable?: boolean; test?: string[] };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  [key: string]: unknown;
}

/** docker-compose.yml with YAML merge keys (`<<: *anchor`) resolved, as Compose resolves them. */
export function readCompose(text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')): ComposeFile {
  return parse(text, { merge: true }) as ComposeFile;
}

export interface DockerfileStage {
  name: string;
  from: string;
  instructions: Array<{ op: string; args: string }>;
}

/** The Dockerfile's stages and instructions (continuation lines joined, comments dropped). */
export function readDockerfile(text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')): DockerfileStage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: DockerfileStage[] = [];
  for (const line of lines) {
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line)!;
    if (op!.toUpperCase() === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args!)!;
      stages.push({ name: name ?? String(stages.length), from: from!, instructions: [] });
    } else stages.at(-1)!.instructions.push({ op: op!.toUpperCase(), args: args!.replace(/\s+/g, ' ') });
  }
  return stages;
}

/** The exec-form JSON array of an instruction (ENTRYPOINT, CMD, HEALTHCHECK … CMD). */
export function execForm(args: string): string[] {
  const json = /\[.*\]$/.exec(args)?.[0];
  if (!json) throw new Error(`not in exec form: ${args}`);
  return JSON.parse(json) as string[];
}

/** ENV instructions of a stage as a map (`ENV A=1 B=2`). */
export function envOf(stage: DockerfileStage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of stage.instructions.filter((x) => x.op === 'ENV'))
    for (const [, k, v] of i.args.matchAll(/(\w+)=(\S+)/g)) out[k!] = v!;
  return out;
}
