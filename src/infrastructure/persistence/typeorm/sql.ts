import type { EntityManager, EntitySchema } from "typeorm";

export interface SqlResult<R> {
  readonly rows: R[];
  readonly affected: number;
}

/**
 * Runs one statement on the manager's connection (the transaction's, inside a unit of work) and
 * returns rows and affected count alike for SELECT, INSERT … RETURNING, UPDATE and DELETE, which
 * `EntityManager.query` shapes differently per command.
 */
export async function sql<R = Record<string, unknown>>(
  manager: EntityManager,
  text: string,
  params: readonly unknown[] = [],
): Promise<SqlResult<R>> {
  const runner = manager.queryRunner ?? manager.dataSource.createQueryRunner();
  try {
    const result = await runner.query(text, params as unknown[], true);
    const rows = (result.records ?? []) as R[];
    return { rows, affected: result.affected ?? rows.length };
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

interface Statements {
  /** `column AS "property", …`: whole rows under the property names the row types use. */
  readonly selectList: string;
  /** Column name by property name. */
  readonly columns: ReadonlyMap<string, string>;
  readonly insert: string;
  /** The properties an insert binds, in placeholder order, with whether each is stored as JSON. */
  readonly bound: ReadonlyArray<{ readonly property: string; readonly json: boolean }>;
}

const statements = new WeakMap<EntitySchema<any>, Statements>();

/**
 * Plain statements derived from an entity schema's own column declarations, so a read or insert
 * written without the query builder cannot drift from the table: built once per schema.
 */
function statementsFor(schema: EntitySchema<any>): Statements {
  let built = statements.get(schema);
  if (built) return built;
  const columns = Object.entries(schema.options.columns).map(([property, options]) => ({
    property,
    column: options?.name ?? property,
    generated: Boolean(options?.generated),
    json: options?.type === "jsonb" || options?.type === "json",
  }));
  const bound = columns.filter((c) => !c.generated);
  built = {
    selectList: columns.map((c) => (c.column === c.property ? c.column : `${c.column} AS "${c.property}"`)).join(", "),
    columns: new Map(columns.map((c) => [c.property, c.column])),
    insert: `INSERT INTO ${schema.options.tableName} (${bound.map((c) => c.column).join(", ")}) VALUES (${bound.map((_, i) => `$${i + 1}`).join(", ")})`,
    bound: bound.map(({ property, json }) => ({ property, json })),
  };
  statements.set(schema, built);
  return built;
}

/** The one row of `schema`'s table whose `property` equals `value` (a unique column), or null. */
export async function selectOne<R>(manager: EntityManager, schema: EntitySchema<R>, property: keyof R & string, value: unknown): Promise<R | null> {
  const { selectList, columns } = statementsFor(schema);
  const { rows } = await sql<R>(manager, `SELECT ${selectList} FROM ${schema.options.tableName} WHERE ${columns.get(property)} = $1`, [value]);
  return rows[0] ?? null;
}

/** Inserts one row of `schema`'s table (generated columns left to the database). */
export async function insertOne<R>(manager: EntityManager, schema: EntitySchema<R>, row: R): Promise<void> {
  const { insert, bound } = statementsFor(schema);
  const values = bound.map(({ property, json }) => {
    const value = (row as Record<string, unknown>)[property];
    // pg would send an array as a PostgreSQL array literal; JSON columns take the JSON text.
    return json && value !== null && value !== undefined ? JSON.stringify(value) : value;
  });
  await sql(manager, insert, values);
}
