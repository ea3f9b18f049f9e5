using System.Text.RegularExpressions;
using TrialFinder.Data.CompiledModel;
using TrialFinder.IntegrationTests.Infrastructure;
using TrialFinder.Testing;

namespace TrialFinder.IntegrationTests.Features.Database;

/// <summary>
/// Every process reads the EF model from the compiled model in src/TrialFinder.Data/CompiledModel (built from the entity
/// configuration by <c>dotnet ef dbcontext optimize</c>; building it at start-up took about 0.4 s of every worker verb and
/// site start). A configuration changed without regenerating it would have the product map columns that no longer exist.
/// </summary>
public sealed partial class CompiledModelTests
{
    private static string CompiledModelFolder => Path.Combine(TestPaths.RepositoryRoot, "src", "TrialFinder.Data", "CompiledModel");

    [Fact]
    public async Task The_compiled_model_is_what_the_entity_configuration_generates_today()
    {
        var generated = Directory.CreateTempSubdirectory("compiled-model-");
        try
        {
            var restore = await ProgramRun.DotnetAsync(TestPaths.RepositoryRoot, ["tool", "restore"]);
            Assert.True(restore.ExitCode == 0, restore.ToString());
            var optimize = await ProgramRun.DotnetAsync(TestPaths.RepositoryRoot,
            [
                "ef", "dbcontext", "optimize", "--no-build", "--configuration", ProgramRun.Configuration,
                "--project", "src/TrialFinder.Data", "--startup-project", "src/TrialFinder.Data",
                "--output-dir", generated.FullName, "--namespace", "TrialFinder.Data.CompiledModel",
            ], TimeSpan.FromMinutes(3));
            Assert.True(optimize.ExitCode == 0, optimize.ToString());

            var regenerate = "run `dotnet ef dbcontext optimize --project src/TrialFinder.Data --startup-project src/TrialFinder.Data "
                + "--output-dir CompiledModel --namespace TrialFinder.Data.CompiledModel` after changing the entity configuration";
            Assert.True(FileNames(generated.FullName).SequenceEqual(FileNames(CompiledModelFolder)),
                $"The compiled model's files differ from what the configuration generates: {regenerate}.");
            foreach (var name in FileNames(generated.FullName))
            {
                Assert.True(
                    WithoutModelId(await File.ReadAllTextAsync(Path.Combine(generated.FullName, name)))
                        == WithoutModelId(await File.ReadAllTextAsync(Path.Combine(CompiledModelFolder, name))),
                    $"CompiledModel/{name} differs from what the configuration generates: {regenerate}.");
            }
        }
        finally
        {
            generated.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_context_uses_the_compiled_model()
    {
        using var db = TestDatabase.CreateContext("Host=127.0.0.1;Database=unused");

        Assert.Same(TrialFinderDbContextModel.Instance, db.Model);
    }

    private static List<string> FileNames(string folder) =>
        Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    /// <summary>Each generation draws a new model id; nothing else in the files may differ.</summary>
    private static string WithoutModelId(string code) => ModelId().Replace(code, "modelId: new Guid(\"…\")");

    [GeneratedRegex("""modelId: new Guid\("[0-9a-f-]{36}"\)""")]
    private static partial Regex ModelId();
}
