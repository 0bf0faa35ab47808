import { testGrowth } from './patterns';

// Defect 2: a value that doubled on each line was expanded without bound.
testGrowth(2);
