// The parts of the generated OpenAPI document the tests that walk every route read: a schema's
// shape (enough to make a value it accepts) and an operation's parameters, body and permission.

export type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  minLength?: number;
  minItems?: number;
};

export type Operation = {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  'x-permission'?: string;
  'x-websocket'?: boolean;
};
