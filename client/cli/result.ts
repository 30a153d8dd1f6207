/** What a command hands back to the program: JSON for --json, text for humans, and its exit code. */
export interface CommandResult {
  json: unknown;
  text: string;
  exitCode?: number;
}

export interface CommandContext {
  env: NodeJS.ProcessEnv;
  /** Progress lines for humans while a long command runs (not used with --json). */
  progress: (line: string) => void;
  json: boolean;
}
