// prisma/orm#27403: the Wasm schema engine over @prisma/adapter-pg cannot deserialize PostgreSQL catalog types
// ("char" 18, name 19, regproc 24, regtype 2205 and their arrays). Present them as text / text[] instead.
const pg = require('pg');

const Result = pg.Result ?? require('pg/lib/result');
if (!Result.prototype.__otsCatalogTypesPatched) {
  const addFields = Result.prototype.addFields;
  Result.prototype.addFields = function addFieldsAsText(fields) {
    for (const field of fields) {
      if ([18, 19, 24, 2205].includes(field.dataTypeID)) field.dataTypeID = 25;
      else if ([1002, 1003].includes(field.dataTypeID)) field.dataTypeID = 1009;
    }
    return addFields.call(this, fields);
  };
  Result.prototype.__otsCatalogTypesPatched = true;
}
