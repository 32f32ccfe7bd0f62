# On the AIR-GAPPED Windows machine: install GAISafe Desktop from a wheelhouse, no network used.
#
#   powershell -ExecutionPolicy Bypass -File install_offline.ps1 [-Target DIR]
#
# Run from the wheelhouse folder built with build_wheelhouse.sh --platform win_amd64. Needs Python 3.11+
# (python.org installer, "py" launcher). Default target: %LOCALAPPDATA%\GAISafe\app.
param([string]$Target = "$env:LOCALAPPDATA\GAISafe\app")
$ErrorActionPreference = "Stop"
$wh = Split-Path -Parent $MyInvocation.MyCommand.Path

Write-Host "1/4 checking the wheels against SHA256SUMS"
foreach ($line in Get-Content "$wh\SHA256SUMS") {
    $expected, $name = $line -split "  ", 2
    $actual = (Get-FileHash -Algorithm SHA256 (Join-Path $wh $name)).Hash.ToLower()
    if ($actual -ne $expected) { throw "$name : SHA-256 does not match SHA256SUMS; the copy is damaged" }
}
Write-Host "2/4 creating the environment in $Target"
py -3.11 -m venv $Target
Write-Host "3/4 installing from $wh (no network)"
$env:PIP_CONFIG_FILE = "NUL"
& "$Target\Scripts\python.exe" -m pip install --quiet --no-index --find-links $wh --require-hashes -r "$wh\requirements.lock"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }
Write-Host "4/4 self-test"
$env:QT_QPA_PLATFORM = "offscreen"
& "$Target\Scripts\gaisafe.exe" selftest
if ($LASTEXITCODE -ne 0) { throw "the self-test failed; see the lines above" }
Write-Host "installed: $Target\Scripts\gaisafe-desktop.exe (GUI), $Target\Scripts\gaisafe.exe (CLI)"
