#!/usr/bin/env bash
# Builds the VS Code extension as a .vsix, offline (nothing is downloaded: the extension has no npm dependencies;
# the manifest is the one @vscode/vsce writes, field for field),
# from the TextMate grammar and language configuration in ide/textmate and the files here; and, beside it, the
# grammar as a .tmLanguage property list for Sublime Text and other TextMate editors.
# Usage: ide/vscode/package.sh [OUT-DIR]   (default ide/vscode/target): OUT-DIR/nnc-VERSION.vsix, OUT-DIR/sublime/nn.tmLanguage
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/target}"
mkdir -p "$out"
python3 - "$here" "$out" <<'PY'
import json, os, plistlib, sys, zipfile
here, out = sys.argv[1], sys.argv[2]
textmate = os.path.join(here, '..', 'textmate')
pkg = json.load(open(os.path.join(here, 'package.json'), encoding='utf-8'))
files = {
    'extension/package.json': os.path.join(here, 'package.json'),
    'extension/extension.js': os.path.join(here, 'extension.js'),
    'extension/connection.js': os.path.join(here, 'connection.js'),
    'extension/README.md': os.path.join(here, 'README.md'),
    'extension/snippets/nn.json': os.path.join(here, 'snippets', 'nn.json'),
    'extension/language-configuration.json': os.path.join(textmate, 'language-configuration.json'),
    'extension/syntaxes/nn.tmLanguage.json': os.path.join(textmate, 'nn.tmLanguage.json'),
}
esc = lambda s: s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;')
manifest = f'''<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
  <Metadata>
    <Identity Language="en-US" Id="{esc(pkg['name'])}" Version="{esc(pkg['version'])}" Publisher="{esc(pkg['publisher'])}" />
    <DisplayName>{esc(pkg['displayName'])}</DisplayName>
    <Description xml:space="preserve">{esc(pkg['description'])}</Description>
    <Tags>nn,neural networks,__ext_nn</Tags>
    <Categories>{esc(','.join(pkg['categories']))}</Categories>
    <GalleryFlags>Public</GalleryFlags>
    <Properties>
      <Property Id="Microsoft.VisualStudio.Code.Engine" Value="{esc(pkg['engines']['vscode'])}" />
      <Property Id="Microsoft.VisualStudio.Code.ExtensionDependencies" Value="" />
      <Property Id="Microsoft.VisualStudio.Code.ExtensionPack" Value="" />
      <Property Id="Microsoft.VisualStudio.Code.ExtensionKind" Value="workspace" />
      <Property Id="Microsoft.VisualStudio.Code.LocalizedLanguages" Value="" />
      <Property Id="Microsoft.VisualStudio.Code.EnabledApiProposals" Value="" />
      <Property Id="Microsoft.VisualStudio.Code.ExecutesCode" Value="true" />
      <Property Id="Microsoft.VisualStudio.Services.GitHubFlavoredMarkdown" Value="true" />
      <Property Id="Microsoft.VisualStudio.Services.Content.Pricing" Value="Free" />
    </Properties>
  </Metadata>
  <Installation>
    <InstallationTarget Id="Microsoft.VisualStudio.Code" />
  </Installation>
  <Dependencies />
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
    <Asset Type="Microsoft.VisualStudio.Services.Content.Details" Path="extension/README.md" Addressable="true" />
  </Assets>
</PackageManifest>
'''
types = '''<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension=".json" ContentType="application/json" /><Default Extension=".js" ContentType="application/javascript" /><Default Extension=".md" ContentType="text/markdown" /><Default Extension=".vsixmanifest" ContentType="text/xml" /></Types>
'''
vsix = os.path.join(out, f"{pkg['name']}-{pkg['version']}.vsix")
with zipfile.ZipFile(vsix + '.tmp', 'w', zipfile.ZIP_DEFLATED) as z:
    def put(name, data):
        info = zipfile.ZipInfo(name, date_time=(1980, 2, 1, 0, 0, 0))  # one fixed date: the same sources, the same bytes
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
    put('[Content_Types].xml', types)
    put('extension.vsixmanifest', manifest)
    for name in sorted(files):
        put(name, open(files[name], 'rb').read())
os.replace(vsix + '.tmp', vsix)
grammar = json.load(open(os.path.join(textmate, 'nn.tmLanguage.json'), encoding='utf-8'))
grammar.pop('$schema', None)
os.makedirs(os.path.join(out, 'sublime'), exist_ok=True)
with open(os.path.join(out, 'sublime', 'nn.tmLanguage'), 'wb') as f:
    plistlib.dump(grammar, f)
print(vsix)
PY
