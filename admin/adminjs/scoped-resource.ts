import { Error as MongooseError, type Model } from 'mongoose';
import { companyScope, requireRequestAdmin } from '../auth/console-admin';
import type { AdminJSModules, BaseProperty, BaseRecord, Filter } from './esm';
import { isUniqueRefusal } from '../resources/unique-refusal';
import { mongoose9PropertyClass } from './mongoose9-property';

export interface ScopeOptions {
  /** Where a record names its company: `companyId`, or `_id` for the companies themselves. */
  scopeField: 'companyId' | '_id';
  /** Paths never read into a record (hashes): not sent to the browser, not filterable, not sortable. */
  redact?: readonly string[];
  /**
   * A unique index's refusal (a race that the resource's own check before saving lost), shown
   * on this field: the adapter names the index field, which the form does not show, or nothing.
   */
  duplicate?: { path: string; message: string };
  /** A resource id of its own, for a second view of a model ("People" over target users). */
  id?: string;
  /** What the view shows at all, required on top of the company scope and any filter. */
  condition?: Params;
  /**
   * Filters on a value the model does not keep in one field (a free-text search over e-mail and
   * names), or not as the field's own path says (a SCIM setting's target users are those it is
   * a source of): the filter's path and the condition its typed value stands for, given the
   * other filters' values too (a SCIM id means one thing within a setting).
   */
  virtualFilters?: Record<string, (value: string, filters: Record<string, string>) => Promise<Params>>;
  /**
   * Adds values computed from other records to every record read, whatever reads it (lists,
   * pages, the names of references elsewhere, the search of reference filters).
   */
  present?: (records: Params[]) => Promise<void>;
}

type FilterElement = Filter['filters'][string];
type Params = Record<string, unknown>;

/** A filter value that is not even of its field's type (a reference searched for "abc") matches no record. */
async function noneIfUncastable<T>(query: Promise<T>, none: T): Promise<T> {
  try {
    return await query;
  } catch (error) {
    if (error instanceof MongooseError.CastError) return none;
    throw error;
  }
}

const isRedacted = (redact: readonly string[], path: string) => redact.some((r) => path === r || path.startsWith(`${r}.`));

/** Drops redacted paths whether the params are flat (`token.hash`) or nested (`{ token: { hash } }`). */
function stripRedacted(params: Params, redact: readonly string[]): Params {
  return Object.fromEntries(
    Object.entries(params)
      .filter(([key]) => !isRedacted(redact, key))
      .map(([key, value]) => {
        const inner = redact.filter((r) => r.startsWith(`${key}.`)).map((r) => r.slice(key.length + 1));
        const nested = inner.length > 0 && typeof value === 'object' && value !== null && !Array.isArray(value);
        return [key, nested ? stripRedacted(value as Params, inner) : value];
      }),
  );
}

/**
 * An AdminJS resource over a mongoose model that enforces the company scope itself: every
 * query a company admin's request makes (lists, counts, reference look-ups, show, edit,
 * delete, create) carries its companyId, whatever the action or the URL asked for. Doing it
 * here rather than in action hooks means no AdminJS code path can reach around it.
 * It wraps @adminjs/mongoose's Resource for property discovery and writes.
 */
export function scopedResourceClass({ adminjs, mongoose }: AdminJSModules) {
  const { BaseResource, BaseRecord: Record, ValidationError } = adminjs;
  const { Resource, convertFilter } = mongoose;
  const Property = mongoose9PropertyClass(mongoose);

  return class ScopedResource extends BaseResource {
    private readonly inner: InstanceType<typeof Resource>;
    private readonly redact: readonly string[];
    private readonly props: BaseProperty[];

    constructor(
      private readonly model: Model<unknown>,
      private readonly scope: ScopeOptions,
    ) {
      super(model);
      this.inner = new Resource(model);
      this.redact = scope.redact ?? [];
      // The adapter's own d.ts resolves adminjs separately; the classes are the same at run time.
      this.props = Object.values(model.schema.paths).map((path, position) => new Property(path, position) as unknown as BaseProperty);
    }

    override databaseName() { return this.inner.databaseName(); }
    override databaseType() { return this.inner.databaseType(); }
    override id() { return this.scope.id ?? this.inner.id(); }
    /** AdminJS calls name() on adapters although BaseResource does not declare it. */
    name() { return this.inner.name(); }
    override properties() { return this.props; }
    override property(path: string) { return this.props.find((p) => p.path() === path) ?? null; }

    /** The company condition for the current request's admin; empty for a platform admin. */
    private scopeCondition(): Params {
      const companyId = companyScope(requireRequestAdmin());
      return companyId ? { [this.scope.scopeField]: companyId } : {};
    }

    /**
     * `condition`, the view's own condition and the company scope, all required. Merging them as
     * keys would let one replace another: for companies the scope is on `_id`, so asking for
     * another company's id would have found the admin's own company instead of nothing.
     */
    private scoped(condition: Params): Params {
      const parts = [condition, this.scope.condition ?? {}, this.scopeCondition()].filter((part) => Object.keys(part).length > 0);
      return parts.length <= 1 ? (parts[0] ?? {}) : { $and: parts };
    }

    private async query(filter?: Filter | null): Promise<Params> {
      const all = Object.values(filter?.filters ?? {}) as FilterElement[];
      const virtual = this.scope.virtualFilters ?? {};
      const elements = all.filter((e) => e.property && !isRedacted(this.redact, e.path) && !Object.hasOwn(virtual, e.path));
      const converted = convertFilter({ reduce: (fn: never, initial: never) => elements.reduce(fn, initial) } as unknown as Filter) as Params;
      const typed = all.filter((e) => Object.hasOwn(virtual, e.path) && typeof e.value === 'string' && e.value.trim() !== '');
      const values = Object.fromEntries(typed.map((e) => [e.path, String(e.value).trim()]));
      const searches = await Promise.all(typed.map((e) => virtual[e.path]!(values[e.path]!, values)));
      // A filter on companyId in the URL can only narrow the scope, never widen it.
      return this.scoped(searches.length === 0 ? converted : { $and: [converted, ...searches] });
    }

    private projection(): Params {
      return Object.fromEntries(this.redact.map((path) => [path, 0]));
    }

    private async records(docs: Array<{ toJSON(): unknown }>): Promise<BaseRecord[]> {
      const params = docs.map((doc) => stripRedacted(JSON.parse(JSON.stringify(doc.toJSON())) as Params, this.redact));
      if (params.length > 0) await this.scope.present?.(params);
      return params.map((p) => new Record(p, this));
    }

    override async count(filter: Filter): Promise<number> {
      return noneIfUncastable(this.query(filter).then((query) => this.model.countDocuments(query).exec()), 0);
    }

    override async find(filter: Filter, options: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } }) {
      const { limit = 20, offset = 0, sort = {} } = options;
      const sortBy = sort.sortBy && !isRedacted(this.redact, sort.sortBy) ? sort.sortBy : '_id';
      const paging = { skip: offset, limit, sort: { [sortBy]: sort.direction === 'asc' ? 1 : -1 } };
      const docs = await noneIfUncastable(this.query(filter).then((query) => this.model.find(query, this.projection(), paging).exec()), []);
      return this.records(docs);
    }

    /**
     * Every record a list with these filters and this order shows, in chunks, read with one
     * cursor rather than page by page (an offset on a list that changes meanwhile would skip or
     * repeat records): the target users' export. Params as read, after `present`.
     */
    async *scan(filter: Filter, sort: { sortBy?: string; direction?: 'asc' | 'desc' }, chunk = 500): AsyncGenerator<Params[]> {
      const sortBy = sort.sortBy && !isRedacted(this.redact, sort.sortBy) ? sort.sortBy : '_id';
      const order = { [sortBy]: sort.direction === 'desc' ? -1 : 1, ...(sortBy === '_id' ? {} : { _id: 1 }) } as Record<string, 1 | -1>;
      const cursor = this.model.find(await this.query(filter), this.projection()).sort(order).cursor();
      let batch: Params[] = [];
      try {
        for await (const doc of cursor) {
          batch.push(stripRedacted(JSON.parse(JSON.stringify(doc.toJSON())) as Params, this.redact));
          if (batch.length < chunk) continue;
          await this.scope.present?.(batch);
          yield batch;
          batch = [];
        }
      } catch (error) {
        // A filter value not even of its field's type matches no record, as in find().
        if (error instanceof MongooseError.CastError) return;
        throw error;
      } finally {
        await cursor.close();
      }
      if (batch.length === 0) return;
      await this.scope.present?.(batch);
      yield batch;
    }

    /** Any id the model's `_id` can take (an ObjectId, or a string for target users); one it cannot take finds nothing. */
    override async findOne(id: string): Promise<BaseRecord | null> {
      const doc = await noneIfUncastable(this.model.findOne(this.scoped({ _id: id }), this.projection()).exec(), null);
      return doc ? ((await this.records([doc]))[0] ?? null) : null;
    }

    /** Ids the model's `_id` cannot take are left out rather than failing the others. */
    override async findMany(ids: Array<string | number>): Promise<BaseRecord[]> {
      const idPath = this.model.schema.path('_id');
      const valid = ids.map(String).filter((id) => {
        try {
          idPath.cast(id);
          return true;
        } catch {
          return false;
        }
      });
      const docs = await this.model.find(this.scoped({ _id: { $in: valid } }), this.projection());
      return this.records(docs);
    }

    override build(params: Params): BaseRecord {
      return new Record(stripRedacted(params, this.redact), this);
    }

    /** New records belong to the admin's company, whatever the form sent. */
    override async create(params: Params): Promise<Params> {
      const scoped = this.withScope(params);
      return stripRedacted(await this.inner.create(scoped).catch((error: unknown) => this.reportDuplicate(error)), this.redact);
    }

    override async update(id: string, params: Params): Promise<Params> {
      await this.mustBeInScope(id);
      const { [this.scope.scopeField]: _ignored, ...rest } = this.withoutScopeKeys(params);
      const updated = await this.inner.update(id, stripRedacted(rest, this.redact)).catch((error: unknown) => this.reportDuplicate(error));
      return stripRedacted(updated, this.redact);
    }

    /** The adapter turns E11000 into a ValidationError; FerretDB's refusal of an update reaches here raw. */
    private reportDuplicate(error: unknown): never {
      const duplicate = this.scope.duplicate;
      const isDuplicate = error instanceof ValidationError ? Object.values(error.propertyErrors).some((e) => e.type === 'duplicate') : isUniqueRefusal(error);
      if (!duplicate || !isDuplicate) throw error;
      throw new ValidationError({ [duplicate.path]: { type: 'duplicate', message: duplicate.message } });
    }

    override async delete(id: string): Promise<void> {
      await this.mustBeInScope(id);
      await this.inner.delete(id);
    }

    private withoutScopeKeys(params: Params): Params {
      const field = this.scope.scopeField;
      return Object.fromEntries(Object.entries(params).filter(([key]) => key !== field && !key.startsWith(`${field}.`)));
    }

    private withScope(params: Params): Params {
      const condition = this.scopeCondition();
      if (!(this.scope.scopeField in condition)) return stripRedacted(params, this.redact);
      if (this.scope.scopeField === '_id') throw new Error('A company admin cannot create companies');
      return { ...stripRedacted(this.withoutScopeKeys(params), this.redact), [this.scope.scopeField]: String(condition[this.scope.scopeField]) };
    }

    private async mustBeInScope(id: string): Promise<void> {
      if (!(await this.findOne(id))) throw new Error('Record not found');
    }
  };
}

export type ScopedResourceClass = ReturnType<typeof scopedResourceClass>;
