import { testGrowth } from './patterns';

// Defect 2: a value that doubled on each line was expanded without bound.
testGrowth(2);

// Defect 8: closing a `{` searched the whole frame stack, each command looked through it for a function and a
// conditional frame, appending to an array copied it, and a chain `a=$a.` re-expanded a growing value.
testGrowth(8);
