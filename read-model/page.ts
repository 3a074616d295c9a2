/** One page of a list, with the total the filters match (not only what the page holds). */
export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}
