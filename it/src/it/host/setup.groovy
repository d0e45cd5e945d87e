// Before the host's build: take the README's dependency snippet and embedding snippet, so the README
// cannot drift from what compiles and runs. The blocks are the fenced ones right after the markers
// <!-- it: dependencies --> (xml) and <!-- it: embedding --> (java).
def readme = new File(rootDir, 'README.md').getText('UTF-8')

def block = { String marker, String lang ->
    def m = readme =~ /(?s)<!-- it: ${marker} -->\s*```${lang}\r?\n(.*?)```/
    assert m.find(): "README.md has no ```${lang} block right after <!-- it: ${marker} -->"
    m.group(1)
}

// The dependency snippet: the BOM import and the dependencies, spliced into the host's pom.
def xml = block('dependencies', 'xml')
def managed = xml =~ /(?s)<dependencyManagement>\s*<dependencies>(.*?)<\/dependencies>\s*<\/dependencyManagement>/
assert managed.find(): 'the README dependency snippet has no <dependencyManagement> block'
def bom = managed.group(1)
assert bom.contains('<artifactId>allotment-bom</artifactId>') && bom.contains('<scope>import</scope>'):
        'the README dependency snippet must import allotment-bom'
assert bom.contains("<version>${projectVersion}</version>"):
        "the README dependency snippet must name the BOM version being built, ${projectVersion}"
def rest = xml.substring(managed.end())
def deps = rest =~ /(?s)<dependencies>(.*?)<\/dependencies>/
assert deps.find(): 'the README dependency snippet has no <dependencies> block after the BOM'
assert !(deps.group(1) =~ /<artifactId>allotment-[a-z]+<\/artifactId>\s*<version>/):
        'the README dependency snippet must take the Allotment versions from the BOM'

def pom = new File(basedir, 'pom.xml')
def text = pom.getText('UTF-8')
assert text.contains('<!-- README dependencyManagement -->') && text.contains('<!-- README dependencies -->')
pom.setText(text.replace('<!-- README dependencyManagement -->', bom)
        .replace('<!-- README dependencies -->', deps.group(1)), 'UTF-8')

// The embedding snippet: its imports, and the rest as the body of main.
def java = block('embedding', 'java')
def lines = java.readLines()
def imports = lines.findAll { it.startsWith('import ') }
def body = lines.findAll { !it.startsWith('import ') }
assert !imports.isEmpty(): 'the README embedding snippet must show its imports'
def source = new File(basedir, 'src/main/java/host/ReadmeSnippet.java')
source.parentFile.mkdirs()
source.setText("package host;\n\n" + imports.join('\n') + '\n\n'
        + '/** The README\'s embedding snippet, as written there. */\n'
        + 'public final class ReadmeSnippet {\n'
        + '  public static void main(String[] args) {\n'
        + body.collect { '    ' + it }.join('\n') + '\n'
        + '  }\n'
        + '}\n', 'UTF-8')
return true
