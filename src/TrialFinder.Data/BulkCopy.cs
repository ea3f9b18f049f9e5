using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace TrialFinder.Data;

/// <summary>
/// Inserts new rows of an entity with PostgreSQL's binary COPY, in the caller's transaction: the columns, their store
/// types and value conversions come from the EF model, so a column added to the entity is copied without a change
/// here. JSON-mapped owned collections are written as EF writes them (property names as declared). Store-generated
/// keys are left to the database. For first inserts of many rows only: nothing is tracked afterwards.
/// </summary>
public static class BulkCopy
{
    public static async Task CopyAsync<T>(this TrialFinderDbContext db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entityType = db.Model.FindEntityType(typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity of the model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var columns = Columns<T>(entityType, table);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var copy = $"COPY {Quote(table.Name)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        await using var import = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await import.StartRowAsync(cancellationToken);
            foreach (var column in columns)
            {
                if (column.Value(row) is { } value)
                {
                    await import.WriteAsync(value, column.StoreType, cancellationToken);
                }
                else
                {
                    await import.WriteNullAsync(cancellationToken);
                }
            }
        }

        await import.CompleteAsync(cancellationToken);
    }

    private sealed record Column<T>(string Name, string StoreType, Func<T, object?> Value)
        where T : class;

    private static List<Column<T>> Columns<T>(IEntityType entityType, StoreObjectIdentifier table)
        where T : class
    {
        var columns = new List<Column<T>>();
        foreach (var property in entityType.GetProperties())
        {
            if (property.IsPrimaryKey() && property.ValueGenerated != ValueGenerated.Never)
            {
                continue;
            }

            var name = property.GetColumnName(table)
                ?? throw new InvalidOperationException($"{entityType.DisplayName()}.{property.Name} has no column in {table.Name}.");
            var getter = property.GetGetter();
            var converter = property.GetTypeMapping().Converter;
            columns.Add(new Column<T>(name, StoreTypeName(property.GetColumnType()), row =>
            {
                var value = getter.GetClrValue(row);
                return value is not null && converter is not null ? converter.ConvertToProvider(value) : value;
            }));
        }

        foreach (var navigation in entityType.GetNavigations().Where(n => n.TargetEntityType.IsMappedToJson()))
        {
            var getter = navigation.GetGetter();
            var column = navigation.TargetEntityType.GetContainerColumnName()!;
            columns.Add(new Column<T>(column, "jsonb", row => getter.GetClrValue(row) is { } value ? JsonSerializer.Serialize(value) : null));
        }

        return columns;
    }

    /// <summary>"character varying(11)" → "character varying": COPY takes the type, not its length or precision.</summary>
    private static string StoreTypeName(string columnType) =>
        columnType.IndexOf('(') is var open and > 0
            ? columnType[..open] + columnType[(columnType.IndexOf(')') + 1)..]
            : columnType;

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
