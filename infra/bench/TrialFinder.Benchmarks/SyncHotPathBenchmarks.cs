using System.Text.Json;
using BenchmarkDotNet.Attributes;
using TrialFinder.Core.Classification;
using TrialFinder.Core.Eligibility;
using TrialFinder.Core.Studies;
using TrialFinder.Sync.Mapping;

namespace TrialFinder.Benchmarks;

/// <summary>The pure work a sync does for each record, per record (or per age text).</summary>
[MemoryDiagnoser]
public class SyncHotPathBenchmarks
{
    private byte[][] _utf8 = [];
    private JsonElement[] _records = [];
    private Study[] _studies = [];
    private string?[] _ages = [];
    private (string? Criteria, IReadOnlyList<string> Diseases)[] _eligibility = [];

    [GlobalSetup]
    public void Setup()
    {
        _utf8 = SyncRecords.Utf8Records;
        _records = SyncRecords.Elements();
        _studies = SyncRecords.Studies();
        _ages = SyncRecords.Ages();
        _eligibility = _studies.Select(s => (s.EligibilityCriteria, StudyClassifier.Default.Classify(s).Diseases)).ToArray();
    }

    [Benchmark(OperationsPerInvoke = SyncRecords.Count, Description = "RegistryStudyMapper.Map (one record)")]
    public int Map()
    {
        var sites = 0;
        foreach (var record in _records)
        {
            sites += RegistryStudyMapper.Map(record).Sites.Count;
        }

        return sites;
    }

    [Benchmark(OperationsPerInvoke = SyncRecords.Count, Description = "JsonDocument.Parse + Map (one record from its bytes)")]
    public int ParseAndMap()
    {
        var sites = 0;
        foreach (var bytes in _utf8)
        {
            using var document = JsonDocument.Parse(bytes);
            sites += RegistryStudyMapper.Map(document.RootElement).Sites.Count;
        }

        return sites;
    }

    [Benchmark(OperationsPerInvoke = SyncRecords.Count, Description = "RegistryStudyMapper.Canonicalize (raw JSON + SHA-256, one record)")]
    public int Canonicalize()
    {
        var length = 0;
        foreach (var record in _records)
        {
            length += RegistryStudyMapper.Canonicalize(record).ContentHash.Length;
        }

        return length;
    }

    [Benchmark(OperationsPerInvoke = SyncRecords.Count, Description = "StudyClassifier.Default.Classify (one study)")]
    public int Classify()
    {
        var tags = 0;
        foreach (var study in _studies)
        {
            tags += StudyClassifier.Default.Classify(study).GetHashCode();
        }

        return tags;
    }

    [Benchmark(OperationsPerInvoke = SyncRecords.Count, Description = "CriteriaExtractor.Default.Extract (one study's eligibility text)")]
    public int ExtractCriteria()
    {
        var facts = 0;
        foreach (var (criteria, diseases) in _eligibility)
        {
            facts += CriteriaExtractor.Default.Extract(criteria, diseases).Facts.Count;
        }

        return facts;
    }

    [Benchmark(OperationsPerInvoke = SyncRecords.AgeTexts, Description = "EligibleAge.TryParseYears (one age text)")]
    public decimal ParseAge()
    {
        var sum = 0m;
        foreach (var text in _ages)
        {
            if (EligibleAge.TryParseYears(text, out var years) && years is { } value)
            {
                sum += value;
            }
        }

        return sum;
    }
}
