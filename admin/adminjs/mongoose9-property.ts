import type { Schema, SchemaType } from 'mongoose';
import type { AdminJSMongooseModule } from './esm';

interface ArrayPath {
  embeddedSchemaType?: SchemaType & { schema?: Schema };
  schema?: Schema;
}

/**
 * @adminjs/mongoose 4.1 reads an array's element type from `caster`, which mongoose 9
 * renamed to `embeddedSchemaType`; without this, any model with an array (mappings, groupIds)
 * breaks the whole console. Same behaviour as the adapter's Property otherwise.
 */
export function mongoose9PropertyClass({ Property }: AdminJSMongooseModule) {
  class Mongoose9Property extends Property {
    private element(): ArrayPath['embeddedSchemaType'] {
      return (this.mongoosePath as ArrayPath).embeddedSchemaType;
    }

    private elementSchema(): Schema | undefined {
      return (this.mongoosePath as ArrayPath).schema ?? this.element()?.schema;
    }

    override reference() {
      const ref: unknown = this.isArray() ? this.element()?.options?.ref : (this.mongoosePath as SchemaType).options?.ref;
      return typeof ref === 'function' ? (ref as unknown as { modelName: string }).modelName : ref;
    }

    override subProperties() {
      const schema = this.type() === 'mixed' ? this.elementSchema() : undefined;
      return schema ? Object.values(schema.paths).map((path) => new Mongoose9Property(path)) : [];
    }

    override type() {
      if (!this.isArray()) return super.type();
      const element = this.element();
      const embedded = element?.instance === 'DocumentArrayElement' || (!element?.instance && this.elementSchema());
      return this.instanceToType(embedded ? 'Embedded' : element?.instance);
    }
  }
  return Mongoose9Property;
}
