import type { Hono } from 'hono';
import { editorApi } from '#app/editor-api/editor-api.ts';
import type { EditorApiDeps } from '#app/editor-api/editor-api-deps.ts';
import type { Config } from '#core/common/config.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';

/**
 * Builds the editor API's ports for a configuration (`editorApiDepsFromEnv` with the studio's
 * local options); the templates it is given are those of the start, and are not used for
 * rendering (see {@link LiveEditorApi}).
 */
export type BuildEditorApiDeps = (config: Config, templates: TemplateSet) => EditorApiDeps;

/**
 * The editor API of the studio, kept current while the editor works: every render (the
 * preview of the next issue, a draft and its next version, a send) reads the template set as
 * it is now, which live reload replaces (`setTemplates`); a reloaded configuration rebuilds
 * the ports and the router (`setConfig`). A request already under way finishes with what it
 * began with.
 */
export class LiveEditorApi {
  private current: { deps: EditorApiDeps; router: Hono };

  constructor(
    private readonly build: BuildEditorApiDeps,
    private config: Config,
    private templates: TemplateSet,
  ) {
    this.current = this.assemble();
  }

  /** The ports the router uses now. */
  get deps(): EditorApiDeps {
    return this.current.deps;
  }

  /** The router as it is now, for the studio to mount under `/api`. */
  get router(): Hono {
    return this.current.router;
  }

  /** The configuration the ports were built with. */
  get configNow(): Config {
    return this.config;
  }

  /** From now on, renders use `templates`. */
  setTemplates(templates: TemplateSet): void {
    this.templates = templates;
  }

  /** From now on, requests are answered with ports built for `config`. */
  setConfig(config: Config): void {
    this.config = config;
    this.current = this.assemble();
  }

  private assemble(): { deps: EditorApiDeps; router: Hono } {
    const built = this.build(this.config, this.templates);
    const deps: EditorApiDeps = {
      ...built,
      issues: { ...built.issues, renderIssue: (view) => renderIssue(view, this.templates) },
    };
    return { deps, router: editorApi(deps) };
  }
}
