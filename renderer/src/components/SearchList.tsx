/**
 * What 查询 (past sales) and 门诊查询 (past visits) share: the search line, and the list it answers with
 * its selection moved by ↑↓ and opened by Enter. Enter in the search line finds, and opens the first hit of
 * a non-empty query (the clerk typed a number off a receipt: that one is meant).
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { errorText } from '../api/client';

export interface SearchList<T> {
  query: string;
  setQuery(q: string): void;
  list: T[] | null;
  /** The query the list on screen answers (tests and people can tell an old list from the new one). */
  answered: string | null;
  loading: boolean;
  error: string | null;
  setError(e: string | null): void;
  selected: number;
  setSelected(i: number): void;
  input: RefObject<HTMLInputElement | null>;
  search(q: string, openFirst?: boolean): void;
  /** ↑ ↓ move the selection, Enter (outside the search line) opens it; true when the key was one of them. */
  listKey(e: KeyboardEvent, inField: boolean): boolean;
}

export function useSearchList<T>(find: (query: string) => Promise<T[]>, open: (row: T) => void): SearchList<T> {
  const [query, setQuery] = useState('');
  const [list, setList] = useState<T[] | null>(null);
  const [answered, setAnswered] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  const search = (q: string, openFirst = false) => {
    setLoading(true);
    setError(null);
    find(q).then(
      (rows) => {
        setList(rows);
        setAnswered(q.trim());
        setSelected(0);
        setLoading(false);
        const first = rows[0];
        if (openFirst && first) open(first);
      },
      (e: unknown) => {
        setError(errorText(e));
        setLoading(false);
      },
    );
  };
  useEffect(() => {
    search('');
    input.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const listKey = (e: KeyboardEvent, inField: boolean): boolean => {
    const rows = list ?? [];
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      setSelected(e.key === 'ArrowDown' ? Math.min(rows.length - 1, selected + 1) : Math.max(0, selected - 1));
      input.current?.blur(); // Enter now opens the selected row, not the search line's first hit
    } else if (e.key === 'Enter' && !inField) {
      const row = rows[selected];
      if (row) open(row);
    } else return false;
    e.preventDefault();
    return true;
  };

  return { query, setQuery, list, answered, loading, error, setError, selected, setSelected, input, search, listKey };
}

export function SearchBox<T>({ s, placeholder, hint, testId }: { s: SearchList<T>; placeholder: string; hint: string; testId: string }) {
  return (
    <form
      className="search"
      onSubmit={(e) => {
        e.preventDefault();
        s.search(s.query, s.query.trim() !== '');
      }}
    >
      <input ref={s.input} value={s.query} onChange={(e) => s.setQuery(e.target.value)} placeholder={placeholder} data-testid={testId} />
      <span className="muted">{hint}</span>
    </form>
  );
}
