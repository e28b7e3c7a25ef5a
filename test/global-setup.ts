import type { TestProject } from 'vitest/node';
import { buildServer } from './build-server.ts';
import { buildTemplateDatabase } from './template-database.ts';

let remove: (() => Promise<void>) | undefined;

/**
 * Runs once before any test file starts: builds the server into dist/ (in a child process) and,
 * at the same time, the template database every test app starts from.
 */
export async function setup(project: TestProject): Promise<void> {
  const [built] = await Promise.all([buildTemplateDatabase(), buildServer()]);
  remove = built.remove;
  project.provide('bluelampTemplate', built.template);
}

/** Removes the template when the run ends. */
export async function teardown(): Promise<void> {
  await remove?.();
}
