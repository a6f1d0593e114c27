import { describe, expect, it } from 'vitest';
import { declaredValue, parseDeclarations } from '#core/checks/parse-declarations.ts';

describe('parseDeclarations', () => {
  it('splits a style attribute at semicolons outside quotes and parentheses', () => {
    expect(
      parseDeclarations(
        'Color: #FFF; background:url("a;b.png") no-repeat;font-family:"x;y" !important;;junk',
      ),
    ).toEqual([
      { property: 'color', value: '#FFF', important: false },
      { property: 'background', value: 'url("a;b.png") no-repeat', important: false },
      { property: 'font-family', value: '"x;y"', important: true },
    ]);
  });

  it('gives the value a browser applies: the last one declared', () => {
    expect(declaredValue('color:#000;margin:0;color:#111', 'color')).toBe('#111');
    expect(declaredValue('margin:0', 'color')).toBeUndefined();
  });
});
