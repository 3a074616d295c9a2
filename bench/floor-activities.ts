/** The floor's single activity: counts the node (once) and returns its children's codes. */
export function createFloorActivities(children: Map<string, string[]>, onTouch: (code: string) => void) {
  return {
    async touch(code: string): Promise<string[]> {
      onTouch(code);
      return children.get(code) ?? [];
    },
  };
}

export type FloorActivities = ReturnType<typeof createFloorActivities>;
