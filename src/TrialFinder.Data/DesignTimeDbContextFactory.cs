using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace TrialFinder.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting a host or a database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<TrialFinderDbContext>
{
    public TrialFinderDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<TrialFinderDbContext>()
            .UseNpgsql("Host=localhost;Database=trialfinder_design", o => o.MigrationsAssembly(typeof(TrialFinderDbContext).Assembly.GetName().Name))
            .UseSnakeCaseNamingConvention()
            .Options);
}
