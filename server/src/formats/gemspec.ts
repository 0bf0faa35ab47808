/**
 * A gem's specification, `*.gemspec`: each `add_dependency`, `add_runtime_dependency` and
 * `add_development_dependency` call with literal requirements is a reference, read as the Gemfile's `gem` calls are.
 */
import type { Extracted, Format } from '../model';
import { formatPatterns } from './patterns';
import { gemReferences } from './ruby/gemReferences';

/** The gemspec format: the RubyGems requirements a gem's specification declares. */
export const gemspec: Format = {
  id: 'ruby/gemspec',
  patterns: [...formatPatterns['ruby/gemspec']],
  commentPrefix: '#',
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    return gemReferences(text, 'gemspec', 'gemspec');
  },
};
