import { testGrowth } from './patterns';

// Defect 7: reserved words, prefix assignments and `echo` options were dropped with repeated `slice(1)`, and field
// splitting looked at every piece of a word for every character.
testGrowth(7);
