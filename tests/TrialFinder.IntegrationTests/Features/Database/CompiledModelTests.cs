using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using TrialFinder.Data;
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

    /// <summary>
    /// The tool builds the model without the site's services; the site's context also carries Identity's store options.
    /// Whatever the site's services would change in the model, the compiled one must already hold.
    /// </summary>
    [Fact]
    public async Task The_sites_context_uses_the_compiled_model_and_its_services_would_build_the_same_schema()
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await using var web = new WebTestHost(database);
        using var scope = web.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TrialFinderDbContext>();

        Assert.Same(TrialFinderDbContextModel.Instance, db.Model);
        var built = Schema(db.GetService<IDesignTimeModel>().Model.GetRelationalModel());
        Assert.Contains("AspNetUsers", built.Keys);
        Assert.Equal(built, Schema(db.Model.GetRelationalModel()));
    }

    /// <summary>Each table's columns with their store types and nullability, and its primary key: what a query reads and writes.</summary>
    private static SortedDictionary<string, string> Schema(IRelationalModel model) =>
        new(model.Tables.ToDictionary(
            t => t.Name,
            t => string.Join(", ", t.Columns.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"{c.Name} {c.StoreType}{(c.IsNullable ? " null" : "")}"))
                + $"; key ({string.Join(", ", t.PrimaryKey?.Columns.Select(c => c.Name) ?? [])})"),
            StringComparer.Ordinal);

    private static List<string> FileNames(string folder) =>
        Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    /// <summary>Each generation draws a new model id; nothing else in the files may differ.</summary>
    private static string WithoutModelId(string code) => ModelId().Replace(code, "modelId: new Guid(\"…\")");

    [GeneratedRegex("""modelId: new Guid\("[0-9a-f-]{36}"\)""")]
    private static partial Regex ModelId();
}
