import type { TestProject } from 'vitest/node';
import { buildTemplateDatabase } from './template-database.ts';

let remove: (() => Promise<void>) | undefined;

/** Builds the template database once for the whole run, before any test file starts. */
export async function setup(project: TestProject): Promise<void> {
  const built = await buildTemplateDatabase();
  remove = built.remove;
  project.provide('bluelampTemplate', built.template);
}

/** Removes the template when the run ends. */
export async function teardown(): Promise<void> {
  await remove?.();
}
