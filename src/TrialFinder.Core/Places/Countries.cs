namespace TrialFinder.Core.Places;

/// <summary>
/// ISO 3166-1 countries: alpha-2 code → English short name, and the names people type for them
/// (the ISO name, common names and a few native ones) → code, compared as place search keys.
/// </summary>
public static class Countries
{
    private const string Table = """
        AD Andorra|AE United Arab Emirates;UAE;Emirates|AF Afghanistan|AG Antigua and Barbuda|AI Anguilla|AL Albania|AM Armenia|AO Angola|
        AQ Antarctica|AR Argentina|AS American Samoa|AT Austria;Österreich|AU Australia|AW Aruba|AX Åland Islands|AZ Azerbaijan|
        BA Bosnia and Herzegovina;Bosnia|BB Barbados|BD Bangladesh|BE Belgium;Belgique;België|BF Burkina Faso|BG Bulgaria|BH Bahrain|
        BI Burundi|BJ Benin|BL Saint Barthélemy|BM Bermuda|BN Brunei;Brunei Darussalam|BO Bolivia|BQ Caribbean Netherlands;Bonaire|
        BR Brazil;Brasil|BS Bahamas;The Bahamas|BT Bhutan|BV Bouvet Island|BW Botswana|BY Belarus|BZ Belize|CA Canada|
        CC Cocos (Keeling) Islands|CD DR Congo;Democratic Republic of the Congo;Congo-Kinshasa|CF Central African Republic|
        CG Congo;Republic of the Congo;Congo-Brazzaville|CH Switzerland;Schweiz;Suisse;Svizzera|CI Côte d'Ivoire;Ivory Coast|
        CK Cook Islands|CL Chile|CM Cameroon|CN China;People's Republic of China|CO Colombia|CR Costa Rica|CU Cuba|CV Cabo Verde;Cape Verde|
        CW Curaçao|CX Christmas Island|CY Cyprus|CZ Czechia;Czech Republic|DE Germany;Deutschland|DJ Djibouti|DK Denmark;Danmark|
        DM Dominica|DO Dominican Republic|DZ Algeria|EC Ecuador|EE Estonia|EG Egypt|EH Western Sahara|ER Eritrea|ES Spain;España|
        ET Ethiopia|FI Finland;Suomi|FJ Fiji|FK Falkland Islands|FM Micronesia|FO Faroe Islands|FR France|GA Gabon|
        GB United Kingdom;UK;Great Britain;Britain;England;Scotland;Wales;Northern Ireland|GD Grenada|GE Georgia|GF French Guiana|
        GG Guernsey|GH Ghana|GI Gibraltar|GL Greenland|GM Gambia;The Gambia|GN Guinea|GP Guadeloupe|GQ Equatorial Guinea|GR Greece|
        GS South Georgia and the South Sandwich Islands|GT Guatemala|GU Guam|GW Guinea-Bissau|GY Guyana|HK Hong Kong|
        HM Heard Island and McDonald Islands|HN Honduras|HR Croatia;Hrvatska|HT Haiti|HU Hungary|ID Indonesia|IE Ireland;Éire|
        IL Israel|IM Isle of Man|IN India|IO British Indian Ocean Territory|IQ Iraq|IR Iran|IS Iceland|IT Italy;Italia|JE Jersey|
        JM Jamaica|JO Jordan|JP Japan|KE Kenya|KG Kyrgyzstan|KH Cambodia|KI Kiribati|KM Comoros|KN Saint Kitts and Nevis|
        KP North Korea|KR South Korea;Korea;Republic of Korea|KW Kuwait|KY Cayman Islands|KZ Kazakhstan|LA Laos|LB Lebanon|
        LC Saint Lucia|LI Liechtenstein|LK Sri Lanka|LR Liberia|LS Lesotho|LT Lithuania|LU Luxembourg|LV Latvia|LY Libya|
        MA Morocco|MC Monaco|MD Moldova|ME Montenegro|MF Saint Martin|MG Madagascar|MH Marshall Islands|MK North Macedonia;Macedonia|
        ML Mali|MM Myanmar;Burma|MN Mongolia|MO Macao;Macau|MP Northern Mariana Islands|MQ Martinique|MR Mauritania|MS Montserrat|
        MT Malta|MU Mauritius|MV Maldives|MW Malawi|MX Mexico;México|MY Malaysia|MZ Mozambique|NA Namibia|NC New Caledonia|NE Niger|
        NF Norfolk Island|NG Nigeria|NI Nicaragua|NL Netherlands;The Netherlands;Holland;Nederland|NO Norway;Norge|NP Nepal|NR Nauru|
        NU Niue|NZ New Zealand|OM Oman|PA Panama|PE Peru|PF French Polynesia|PG Papua New Guinea|PH Philippines|PK Pakistan|
        PL Poland;Polska|PM Saint Pierre and Miquelon|PN Pitcairn Islands|PR Puerto Rico|PS Palestine|PT Portugal|PW Palau|
        PY Paraguay|QA Qatar|RE Réunion|RO Romania|RS Serbia|RU Russia;Russian Federation|RW Rwanda|SA Saudi Arabia|
        SB Solomon Islands|SC Seychelles|SD Sudan|SE Sweden;Sverige|SG Singapore|SH Saint Helena|SI Slovenia|SJ Svalbard and Jan Mayen|
        SK Slovakia|SL Sierra Leone|SM San Marino|SN Senegal|SO Somalia|SR Suriname|SS South Sudan|ST São Tomé and Príncipe|
        SV El Salvador|SX Sint Maarten|SY Syria|SZ Eswatini;Swaziland|TC Turks and Caicos Islands|TD Chad|
        TF French Southern Territories|TG Togo|TH Thailand|TJ Tajikistan|TK Tokelau|TL Timor-Leste;East Timor|TM Turkmenistan|
        TN Tunisia|TO Tonga|TR Türkiye;Turkey|TT Trinidad and Tobago|TV Tuvalu|TW Taiwan|TZ Tanzania|UA Ukraine|UG Uganda|
        UM United States Minor Outlying Islands|US United States;USA;US;United States of America;America|UY Uruguay|UZ Uzbekistan|
        VA Vatican City;Holy See;Vatican|VC Saint Vincent and the Grenadines|VE Venezuela|VG British Virgin Islands|
        VI US Virgin Islands;United States Virgin Islands|VN Vietnam;Viet Nam|VU Vanuatu|WF Wallis and Futuna|WS Samoa|XK Kosovo|
        YE Yemen|YT Mayotte|ZA South Africa|ZM Zambia|ZW Zimbabwe
        """;

    private static readonly Dictionary<string, string> NamesByCode = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Dictionary<string, string> CodesByKey = new(StringComparer.Ordinal);

    static Countries()
    {
        foreach (var entry in Table.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var code = entry[..2];
            var names = entry[3..].Split(';', StringSplitOptions.TrimEntries);
            NamesByCode[code] = names[0];
            foreach (var name in names)
            {
                CodesByKey.TryAdd(PlaceSearchKey.From(name), code);
            }
        }
    }

    /// <summary>Every country code in the table.</summary>
    public static IReadOnlyCollection<string> Codes => NamesByCode.Keys;

    /// <summary>The English name of an ISO code, or the code itself when unknown.</summary>
    public static string NameOf(string code) => NamesByCode.GetValueOrDefault(code, code);

    /// <summary>The country a qualifier names: an ISO alpha-2 code ("FR", "us") or a name ("France", "USA").</summary>
    public static string? Find(string qualifier)
    {
        var key = PlaceSearchKey.From(qualifier);
        if (CodesByKey.TryGetValue(key, out var code))
        {
            return code;
        }

        return key.Length == 2 && NamesByCode.ContainsKey(key) ? key.ToUpperInvariant() : null;
    }
}
