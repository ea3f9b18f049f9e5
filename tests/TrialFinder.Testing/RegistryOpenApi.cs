using YamlDotNet.RepresentationModel;

namespace TrialFinder.Testing;

/// <summary>The query parameters each registry path accepts, read from the registry's own OpenAPI spec.</summary>
public sealed class RegistryOpenApi
{
    private static readonly Lazy<RegistryOpenApi> Loaded = new(() => new RegistryOpenApi(TestPaths.OpenApiSpec));

    private readonly Dictionary<string, HashSet<string>> _parameters = new(StringComparer.Ordinal);

    private RegistryOpenApi(string specPath)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(specPath))
        {
            yaml.Load(reader);
        }

        var paths = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["paths"];
        foreach (var (path, item) in paths.Children)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            if (item is YamlMappingNode operations && operations.Children.TryGetValue(new YamlScalarNode("get"), out var get)
                && get is YamlMappingNode getNode && getNode.Children.TryGetValue(new YamlScalarNode("parameters"), out var parameters))
            {
                foreach (var parameter in ((YamlSequenceNode)parameters).Children.OfType<YamlMappingNode>())
                {
                    if (parameter.Children.TryGetValue(new YamlScalarNode("in"), out var location) && location.ToString() == "query")
                    {
                        names.Add(parameter["name"].ToString());
                    }
                }
            }

            _parameters[path.ToString()] = names;
        }
    }

    public static RegistryOpenApi Spec => Loaded.Value;

    public IReadOnlySet<string> QueryParameters(string specPath) =>
        _parameters.TryGetValue(specPath, out var names)
            ? names
            : throw new InvalidOperationException($"The registry spec has no path {specPath}.");
}
