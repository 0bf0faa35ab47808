/**
 * Bundler's Gemfile (and gems.rb): each `gem "name", "requirement", …` call with literal requirements is a
 * reference, read by a Ruby tokenizer (strings, symbols, comments, `%w[]`, heredocs), not a pattern over lines.
 * `gem 'x', '1.0'` pins exactly 1.0; `"~> 1.6"` and several requirements are a constraint.
 */
import type { Extracted, Format } from '../model';
import { formatPatterns } from './patterns';
import { gemReferences } from './ruby/gemReferences';

/** The Gemfile format: the RubyGems requirements a Gemfile declares. */
export const gemfile: Format = {
  id: 'ruby/Gemfile',
  patterns: [...formatPatterns['ruby/Gemfile']],
  commentPrefix: '#',
  maxLength: 8 * 1024 * 1024,
  extract(text: string): Extracted[] {
    return gemReferences(text, 'gem', 'Gemfile');
  },
};
