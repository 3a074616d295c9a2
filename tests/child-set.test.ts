import { ChildSet } from '../workflows/propagation';

describe('the children a workflow waits for', () => {
  test('when a child closes before the fan-out returned its id then it is never waited for', () => {
    const carried: string[] = [];
    const children = new ChildSet(carried);
    children.closed('cascade/d/A'); // signal handled while startChild was still awaited
    children.added(['cascade/d/A', 'cascade/d/B']);
    expect(children.ids).toEqual(['cascade/d/B']);
    expect(carried).toBe(children.ids); // the carried state array is the one tracked
    children.closed('cascade/d/B');
    expect(children.size).toBe(0);
  });
});
