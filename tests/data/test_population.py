"""Population by age band: hand-checked figures from the real ONS file."""

from __future__ import annotations

import polars as pl

from observatory_data.build.population import read_population
from observatory_data.build.register import read_register


def test_real_populations(real_source) -> None:
    result = read_population(real_source("ons/mye24tablesew.csv"), read_register())
    assert result.height == 179
    by_code = {row["service_code"]: row for row in result.iter_rows(named=True)}
    # Read by hand from mye24tablesew.csv: "All ages", then the sums of columns 0..11 and 12..17;
    # 18+ is All ages minus those two (the module checks separately that the 18..90+ columns agree).
    # Rutland: 241+297+283+297+309+321+393+400+405+400+401+433; 449+487+641+731+775+749.
    assert [by_code["E06000017"][c] for c in result.columns[1:]] == [41443, 4180, 3832, 33431]
    # Hartlepool: 947+988+1046+1045+1117+1154+1104+1194+1227+1148+1254+1245; 1258+1282+1269+1266+1327+1219.
    assert [by_code["E06000001"][c] for c in result.columns[1:]] == [98180, 13469, 7621, 77090]
    # Cardiff: 3560+3588+3917+3755+4003+4036+4102+4240+4543+4354+4394+4445; 4654+4560+4441+4409+4462+4289.
    assert [by_code["W06000015"][c] for c in result.columns[1:]] == [383919, 48937, 26815, 308167]
    assert by_code["N92000002"]["population"] is None
    assert result.filter(pl.col("population").is_null()).height == 4  # Libraries NI and the Crown Dependencies
