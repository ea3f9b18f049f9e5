using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace TrialFinder.Core.Tests.Corpus;

/// <summary>
/// The study schema of the registry's own OpenAPI description (ctg-oas-v2.yaml), used to check that
/// a record uses only field names, types, enum values and patterns the registry itself would write.
/// </summary>
public sealed partial class RegistrySchema
{
    private static readonly Lazy<RegistrySchema> Loaded = new(() => new RegistrySchema(TestData.OpenApiSpec));

    private readonly Dictionary<string, YamlMappingNode> _schemas = new(StringComparer.Ordinal);

    private RegistrySchema(string specPath)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(specPath))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var schemas = (YamlMappingNode)((YamlMappingNode)root["components"])["schemas"];
        foreach (var (name, schema) in schemas.Children)
        {
            _schemas[name.ToString()] = (YamlMappingNode)schema;
        }
    }

    public static RegistrySchema Spec => Loaded.Value;

    public IReadOnlyList<string> EnumValues(string schemaName) =>
        ((YamlSequenceNode)Schema(schemaName)["enum"]).Children.Select(v => v.ToString()).ToList();

    /// <summary>
    /// Problems with a study record: every top-level name must be a property of the Study schema, and
    /// protocolSection is checked in depth (names, types, enums, patterns, dates, required fields).
    /// </summary>
    public IReadOnlyList<string> CheckStudy(JsonElement record)
    {
        var problems = new List<string>();
        if (record.ValueKind != JsonValueKind.Object)
        {
            return [$"$: expected an object, found {record.ValueKind}"];
        }

        var study = Schema("Study");
        foreach (var property in record.EnumerateObject())
        {
            if (!Properties(study).ContainsKey(property.Name))
            {
                problems.Add($"$.{property.Name}: not a field of the registry's Study schema");
            }
        }

        if (record.TryGetProperty("protocolSection", out var protocol))
        {
            Check(protocol, Schema("ProtocolSection"), "$.protocolSection", problems);
        }

        return problems;
    }

    private void Check(JsonElement value, YamlMappingNode schema, string path, List<string> problems)
    {
        if (Scalar(schema, "$ref") is { } reference && reference.EndsWith("/PartialDate", StringComparison.Ordinal)
            && value.ValueKind == JsonValueKind.String && !PartialDatePattern().IsMatch(value.GetString()!))
        {
            // The spec states this format in the description rather than as a pattern.
            problems.Add($"{path}: '{value.GetString()}' is not a yyyy, yyyy-MM or yyyy-MM-dd date");
        }

        schema = Resolve(schema);
        if (schema.Children.TryGetValue(new YamlScalarNode("enum"), out var enumNode))
        {
            var allowed = ((YamlSequenceNode)enumNode).Children.Select(v => v.ToString()).ToHashSet(StringComparer.Ordinal);
            if (value.ValueKind != JsonValueKind.String || !allowed.Contains(value.GetString()!))
            {
                problems.Add($"{path}: '{value}' is not one of {string.Join(", ", allowed)}");
            }

            return;
        }

        switch (Scalar(schema, "type"))
        {
            case "object":
                CheckObject(value, schema, path, problems);
                break;
            case "array":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    problems.Add($"{path}: expected an array, found {value.ValueKind}");
                    break;
                }

                var items = (YamlMappingNode)schema["items"];
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(item, items, $"{path}[{index++}]", problems);
                }

                break;
            case "string":
                CheckString(value, schema, path, problems);
                break;
            case "number":
                if (value.ValueKind != JsonValueKind.Number)
                {
                    problems.Add($"{path}: expected a number, found {value.ValueKind}");
                }

                break;
            case "integer":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _))
                {
                    problems.Add($"{path}: expected an integer, found {value}");
                }

                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    problems.Add($"{path}: expected true or false, found {value.ValueKind}");
                }

                break;
            case null:
                break;
            case var other:
                problems.Add($"{path}: the schema uses type '{other}', which this check does not know");
                break;
        }
    }

    private void CheckObject(JsonElement value, YamlMappingNode schema, string path, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}: expected an object, found {value.ValueKind}");
            return;
        }

        var properties = Properties(schema);
        if (properties.Count == 0)
        {
            return; // a free-form object
        }

        foreach (var property in value.EnumerateObject())
        {
            if (properties.TryGetValue(property.Name, out var propertySchema))
            {
                Check(property.Value, propertySchema, $"{path}.{property.Name}", problems);
            }
            else
            {
                problems.Add($"{path}.{property.Name}: not a field of the registry's schema here");
            }
        }

        if (schema.Children.TryGetValue(new YamlScalarNode("required"), out var required))
        {
            foreach (var name in ((YamlSequenceNode)required).Children.Select(n => n.ToString()))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    problems.Add($"{path}: the required field {name} is missing");
                }
            }
        }
    }

    private static void CheckString(JsonElement value, YamlMappingNode schema, string path, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{path}: expected text, found {value.ValueKind}");
            return;
        }

        var text = value.GetString()!;
        if (Scalar(schema, "pattern") is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant))
        {
            problems.Add($"{path}: '{text}' does not match the registry's pattern {pattern}");
        }

        if (Scalar(schema, "format") == "date"
            && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            problems.Add($"{path}: '{text}' is not a yyyy-MM-dd date");
        }
    }

    private YamlMappingNode Resolve(YamlMappingNode schema)
    {
        while (Scalar(schema, "$ref") is { } reference)
        {
            schema = Schema(reference[(reference.LastIndexOf('/') + 1)..]);
        }

        return schema;
    }

    private YamlMappingNode Schema(string name) =>
        _schemas.TryGetValue(name, out var schema)
            ? schema
            : throw new InvalidOperationException($"The registry spec has no schema {name}.");

    private static Dictionary<string, YamlMappingNode> Properties(YamlMappingNode schema) =>
        schema.Children.TryGetValue(new YamlScalarNode("properties"), out var properties)
            ? ((YamlMappingNode)properties).Children.ToDictionary(p => p.Key.ToString(), p => (YamlMappingNode)p.Value, StringComparer.Ordinal)
            : [];

    private static string? Scalar(YamlMappingNode schema, string key) =>
        schema.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;

    [GeneratedRegex(@"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")]
    private static partial Regex PartialDatePattern();
}
