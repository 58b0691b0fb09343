"""Demo initiatives for Helsingborg, loaded by `manage.py load_demo_initiatives`.

Written the way residents write: specific places, plain Swedish, some doubt and some enthusiasm.
People are named by short keys (see PEOPLE); supporter accounts `stodjare-NNN` are also valid keys.
"""

PROGRAMME = "livskvalitetsprogrammet-2016"

MANGFALD = "vi-tar-tillvara-och-utvecklar-mangfalden-i-staden"
LYSSNAR = "vi-lyssnar-oppnar-upp-och-delar-kunskap"
BARN = "vi-ser-till-barn-och-ungas-perspektiv"
AKTIV = "vi-inspirerar-till-ett-aktivt-och-halsosamt-liv"
SINNEN = "vi-har-upplevelser-for-alla-sinnen"
KONTAKT = "vi-har-mojligheter-till-kontakt-med-andra-manniskor-varje-dag"
LANDSKAP = "vi-utvecklar-landskap-som-framjar-biologisk-mangfald"

DALHEM = "dalhems-grannskapsforening"
CYKEL = "oresundscykel-ab"

# The accounts of load_demo, and the extra demo residents this command creates.
PEOPLE = {
    "sara": "boende@example.org",
    "ahmed": "forening@example.org",
    "karin": "foretag@example.org",
    "maria": "moderator@example.org",
    "anna": "anna.demo@example.org",
    "erik": "erik.demo@example.org",
    "fatima": "fatima.demo@example.org",
    "lars": "lars.demo@example.org",
    "leila": "leila.demo@example.org",
    "johan": "johan.demo@example.org",
}
RESIDENTS = [
    ("anna.demo@example.org", "Anna Nilsson"),
    ("erik.demo@example.org", "Erik Johansson"),
    ("fatima.demo@example.org", "Fatima Ali"),
    ("lars.demo@example.org", "Lars Håkansson"),
    ("leila.demo@example.org", "Leila Karimi"),
    ("johan.demo@example.org", "Johan Svensson"),
]

SUPPORTER_COUNT = 110
SUPPORTER_EMAIL = "stodjare-{:03d}@example.org"
FIRST_NAMES = [
    "Ingrid", "Per", "Elin", "Mohammed", "Birgitta", "Oskar", "Hanna", "Nils", "Amira", "Gustav",
    "Maja", "Ali", "Karl", "Sofia", "Björn", "Emma", "Yusuf", "Agneta", "Viktor", "Linnea",
    "Dragan", "Astrid", "Mattias", "Noor", "Sven", "Ebba", "Hassan", "Ulla", "Jonatan", "Selma",
    "Kerstin", "Ahmad", "Ida", "Göran", "Zeynep", "Olle", "Tove",
]  # fmt: skip
LAST_INITIALS = "ABDEFGHIJKLMNOPRSTVW"

# status: "published" (default), "submitted" (in review) or "draft".
# days_ago: when it was published (or submitted, or written). supports: how many it gets.
# trend: when its supports came: "hot" mostly lately, "cooling" mostly early, else evenly.
# comments: {"by": key, "text": ..., "replies": [{"by": key, "text": ...}]}, in thread order.
INITIATIVES = [
    {
        "title": "Låt gräsmattorna i Slottshagen bli blommande ängar",
        "summary": (
            "Byt ut en del av den klippta gräsmattan i Slottshagen mot ängsblommor, så att bin "
            "och fjärilar får mat mitt i stan och parken blir vackrare."
        ),
        "body": (
            "Slottshagen är en av mina favoritplatser i Helsingborg, men stora delar är bara "
            "kortklippt gräs som ingen använder. Där skulle en äng med blåklint, prästkrage och "
            "vädd göra stor skillnad för pollinerande insekter.\n\n"
            "## Så kan det gå till\n\n"
            "- Börja med slänterna ner mot Kärnan, där ingen ändå sitter och fikar\n"
            "- Klipp bara en gång per år, i slutet av augusti\n"
            "- Sätt upp en enkel skylt som förklarar varför det ser lite vildare ut\n\n"
            "Många städer har redan gjort så här och sparat pengar på gräsklippning. Jag tror "
            "att Helsingborgarna skulle älska det."
        ),
        "fokusomrade": LANDSKAP,
        "prioriteringar": ["naturmiljoer", "balans"],
        "stadsdel": None,
        "author": "anna",
        "days_ago": 78,
        "supports": 97,
        "trend": "cooling",
        "comments": [
            {
                "by": "erik",
                "text": "Äntligen! Det är så tråkigt med golfgräs överallt. Stöttar direkt.",
            },
            {
                "by": "stodjare-014",
                "text": (
                    "Bra idé, men tänk på att folk ligger och solar på gräset på sommaren. "
                    "Det får inte bli ängar överallt."
                ),
                "replies": [
                    {
                        "by": "anna",
                        "text": (
                            "Håller med! Därför föreslår jag bara slänterna, de plana ytorna "
                            "får vara kvar som de är."
                        ),
                    },
                ],
            },
            {
                "by": "stodjare-052",
                "text": "Det fattas bara tre stöd nu! Dela med era grannar.",
            },
        ],
    },
    {
        "title": "Fler bänkar längs Landborgspromenaden",
        "summary": (
            "Det är långt mellan sittplatserna på Landborgspromenaden. Fler bänkar skulle göra "
            "det möjligt för äldre och föräldrar med små barn att gå hela sträckan."
        ),
        "body": (
            "Jag promenerar med min mamma längs Landborgen nästan varje söndag. Hon är 84 och "
            "behöver vila ofta, men mellan Terrassen och Vikingsberg finns det nästan ingenstans "
            "att sätta sig.\n\n"
            "Jag föreslår bänkar med ryggstöd och armstöd ungefär var 150:e meter, gärna där "
            "man har utsikt över Sundet. Armstöden är viktiga, de gör det lättare att resa sig.\n\n"
            "Det är en liten investering som gör promenaden möjlig för många fler."
        ),
        "fokusomrade": SINNEN,
        "prioriteringar": ["vila"],
        "stadsdel": None,
        "author": "sara",
        "days_ago": 61,
        "supports": 42,
        "comments": [
            {
                "by": "lars",
                "text": "Armstöden är verkligen viktiga. Min pappa kommer inte upp från de låga "
                "bänkarna vid Terrassen.",
            },
            {
                "by": "stodjare-031",
                "text": "Gärna några bänkar i skugga också, det blir hett där på eftermiddagen.",
            },
        ],
    },
    {
        "title": "Läxhjälp på lördagar i vår föreningslokal i Dalhem",
        "summary": (
            "Dalhems grannskapsförening vill öppna lokalen för läxhjälp varje lördag förmiddag. "
            "Vi har lokalen men behöver fler vuxna som kan hjälpa till med matte och svenska."
        ),
        "body": (
            "Många barn i Dalhem har ingen hemma som kan hjälpa till med läxorna, ofta för att "
            "föräldrarna själva håller på att lära sig svenska. Vi har testat läxhjälp några "
            "gånger i höstas och det kom femton barn redan första lördagen.\n\n"
            "Nu vill vi göra det varje vecka, klockan 10–12. Vi bjuder på frukt och saft.\n\n"
            "## Vad vi behöver\n\n"
            "- Volontärer som kan matte, svenska eller engelska på mellanstadie- och "
            "högstadienivå\n"
            "- Några bärbara datorer som barnen kan låna på plats"
        ),
        "fokusomrade": BARN,
        "prioriteringar": ["uppvaxtvillkor", "lyckadebarn"],
        "stadsdel": "dalhem",
        "author": "ahmed",
        "organisation": DALHEM,
        "partner_needs": ["volunteers", "materials"],
        "partner_needs_text": (
            "Vi söker 4–6 vuxna som kan komma varannan lördag, och gärna begagnade datorer."
        ),
        "days_ago": 54,
        "supports": 28,
        "comments": [
            {
                "by": "johan",
                "text": "Jag är pensionerad mattelärare och kommer gärna. Hur anmäler man sig?",
                "replies": [
                    {
                        "by": "ahmed",
                        "text": "Vad roligt, Johan! Klicka på ”Erbjud hjälp” så hör vi av oss.",
                    },
                ],
            },
            {
                "by": "stodjare-077",
                "text": "Min dotter var där i höstas och tyckte det var jättebra.",
            },
        ],
    },
    {
        "title": "Cykelverkstad för barn och unga på Drottninghög",
        "summary": (
            "Vi vill starta en gratis cykelverkstad där barn och unga lär sig laga sina egna "
            "cyklar. Verktyg och mekaniker har vi, men vi behöver en lokal i området."
        ),
        "body": (
            "På Öresundscykel ser vi varje vecka cyklar som står oanvända för att något litet har "
            "gått sönder: ett punkterat däck, en kedja som hoppat av. Det är enkelt att laga om "
            "man bara vet hur.\n\n"
            "Vi vill ha öppet två eftermiddagar i veckan på Drottninghög. Barnen får lära sig "
            "laga själva, och cyklar som skänks till oss rustas upp och lånas ut till den som "
            "saknar cykel.\n\n"
            "Vi står för verktyg, reservdelar och två mekaniker. Det vi saknar är en lokal i "
            "markplan, gärna nära Drottninghögs centrum."
        ),
        "fokusomrade": AKTIV,
        "prioriteringar": ["fritid"],
        "stadsdel": "drottninghog",
        "author": "karin",
        "organisation": CYKEL,
        "partner_needs": ["venue", "volunteers"],
        "partner_needs_text": (
            "Vi behöver en lokal på minst 40 kvadratmeter i markplan, med plats att ställa in "
            "cyklar och helst en vattenkran. Ett par vuxna från området som vill hjälpa till "
            "vore också fint."
        ),
        "days_ago": 12,
        "supports": 36,
        "trend": "hot",
        "comments": [
            {
                "by": "fatima",
                "text": (
                    "Det här behövs verkligen! Min son har haft en trasig cykel i källaren "
                    "sedan i somras."
                ),
            },
            {
                "by": "ahmed",
                "text": (
                    "Hör av er till oss i Dalhems grannskapsförening, vi kanske kan hjälpa till "
                    "med kontakter till bostadsbolaget om lokaler."
                ),
                "replies": [
                    {"by": "karin", "text": "Tack Ahmed, jag skickar ett meddelande!"},
                ],
            },
            {"by": "stodjare-003", "text": "Kan vuxna också komma och lära sig?"},
            {"by": "stodjare-090", "text": "Supert initiativ. Hoppas det blir av före sommaren."},
        ],
    },
    {
        "title": "Bättre belysning på gångvägen mellan Knutpunkten och Söder",
        "summary": (
            "Gångvägen från Knutpunkten upp mot Söder är mörk på kvällarna. Många ungdomar och "
            "kvinnor väljer en omväg för att de känner sig otrygga."
        ),
        "body": (
            "Min dotter går hem från träningen den här vägen tre kvällar i veckan. Flera lampor "
            "har varit trasiga sedan i höstas, och buskarna har vuxit så att man inte ser vem "
            "som kommer.\n\n"
            "Jag föreslår att lamporna lagas och blir fler, att buskarna trimmas ner och att "
            "man ser över belysningen vid trapporna.\n\n"
            "Det handlar inte om att det har hänt något allvarligt, utan om att alla ska kunna "
            "gå hem utan att vara rädda."
        ),
        "fokusomrade": BARN,
        "prioriteringar": ["barnmiljo"],
        "stadsdel": "soder",
        "author": "sara",
        "days_ago": 47,
        "supports": 55,
        "comments": [
            {"by": "stodjare-009", "text": "Samma sak vid trapporna vid Södertull. Så mörkt."},
            {
                "by": "maria",
                "text": (
                    "Hej! Trasig gatubelysning kan också felanmälas direkt till staden, så "
                    "lagas den snabbare. Initiativet om mer och bättre belysning ligger kvar "
                    "här för stöd."
                ),
                "replies": [
                    {"by": "sara", "text": "Tack, jag har felanmält de trasiga lamporna nu."},
                ],
            },
            {"by": "leila", "text": "Viktigt. Jag tar också omvägen, varje gång."},
        ],
    },
    {
        "title": "Språkcafé på Drottninghögs bibliotek",
        "summary": (
            "Ett språkcafé en kväll i veckan där den som lär sig svenska får prata med den som "
            "kan språket, över en kopp kaffe. Vi behöver fler volontärer som vill prata."
        ),
        "body": (
            "Jag kom till Helsingborg för sex år sedan. Det som hjälpte mig mest att lära mig "
            "svenska var inte kurserna, utan att få prata med vanliga människor om vanliga "
            "saker.\n\n"
            "Jag vill starta ett språkcafé på Drottninghögs bibliotek, tisdagar 18–20. Det "
            "behövs inga förkunskaper, bara lust att prata.\n\n"
            "Många som kommer hit har utbildning och yrkeserfarenhet som staden behöver. Ett "
            "språkcafé är också ett sätt att lära känna varandra."
        ),
        "fokusomrade": MANGFALD,
        "prioriteringar": ["kompetens", "lika"],
        "stadsdel": "drottninghog",
        "author": "fatima",
        "partner_needs": ["volunteers"],
        "partner_needs_text": "Personer som har svenska som modersmål och kan komma någon tisdag.",
        "days_ago": 40,
        "supports": 23,
        "comments": [
            {"by": "stodjare-021", "text": "Jag kan komma varannan tisdag!"},
            {
                "by": "stodjare-045",
                "text": "Finns det redan något liknande på Stadsbiblioteket? Bra med fler i så "
                "fall.",
            },
        ],
    },
    {
        "title": "Ramp och ledstänger vid trapporna till Sundstorget",
        "summary": (
            "Trapporna ner mot Sundstorget går inte att ta sig förbi med rullator, rullstol "
            "eller barnvagn. En ramp och ledstänger på båda sidor skulle öppna torget för alla."
        ),
        "body": (
            "Jag använder rullator sedan en höftoperation och har upptäckt hur många ställen i "
            "centrum jag inte längre kan ta mig till. Sundstorget är ett av dem, om man kommer "
            "från Drottninggatan.\n\n"
            "Omvägen är lång och går över en trafikerad korsning. En ramp och ledstänger på "
            "båda sidor av trappan skulle lösa det.\n\n"
            "Tillgänglighet gynnar alla, inte bara oss som har svårt att gå."
        ),
        "fokusomrade": MANGFALD,
        "prioriteringar": ["tillganglighet"],
        "stadsdel": None,
        "author": "lars",
        "days_ago": 36,
        "supports": 31,
        "comments": [
            {
                "by": "stodjare-066",
                "text": "Som förälder med barnvagn håller jag med. Det är omöjligt där.",
            },
        ],
    },
    {
        "title": "En karta över vad staden planerar i min stadsdel",
        "summary": (
            "Samla stadens planerade grävarbeten, byggen och parkprojekt på en karta på webben, "
            "så att man kan se vad som händer i sin stadsdel och när."
        ),
        "body": (
            "Just nu får man veta att gatan ska grävas upp när grävskopan redan står där. "
            "Information om detaljplaner, parkupprustningar och vägarbeten finns, men utspridd "
            "på många olika sidor.\n\n"
            "Jag föreslår en enkel karta där man kan klicka på sin stadsdel och se:\n\n"
            "- vad som är planerat och ungefär när\n"
            "- vem på staden man kan fråga\n"
            "- var man kan tycka till, om det går\n\n"
            "Öppen data finns redan till stor del, det handlar mest om att visa den samlat."
        ),
        "fokusomrade": LYSSNAR,
        "prioriteringar": ["insyn", "internet"],
        "stadsdel": None,
        "author": "johan",
        "days_ago": 33,
        "supports": 12,
        "comments": [
            {
                "by": "erik",
                "text": "Ja! Jag programmerar lite på fritiden och hjälper gärna till att testa.",
            },
        ],
    },
    {
        "title": "Utegym vid idrottsplatsen i Ödåkra",
        "summary": (
            "I Ödåkra finns inget utegym. Ett enkelt utegym vid idrottsplatsen skulle ge både "
            "unga och äldre en gratis plats att träna på."
        ),
        "body": (
            "Vi som bor i Ödåkra måste åka in till stan för att träna utomhus. Det finns gott om "
            "plats vid idrottsplatsen, och många går eller springer redan där på kvällarna.\n\n"
            "Ett utegym med chins-stång, dipsställning och några redskap för balans och "
            "rörlighet skulle räcka långt. Gärna med belysning, så att det går att använda på "
            "vintern.\n\n"
            "Jag har pratat med flera i vår löpargrupp och alla är positiva."
        ),
        "fokusomrade": AKTIV,
        "prioriteringar": ["fritid", "frisk"],
        "stadsdel": "odakra",
        "author": "leila",
        "days_ago": 29,
        "supports": 38,
        "comments": [
            {"by": "stodjare-018", "text": "Äntligen någon som tänker på oss utanför stan!"},
            {
                "by": "stodjare-102",
                "text": "Tänk på att ha redskap som passar äldre också, inte bara chins.",
                "replies": [
                    {
                        "by": "leila",
                        "text": "Absolut, det är därför jag skrev balans och "
                        "rörlighet. Tack för påminnelsen!",
                    },
                ],
            },
        ],
    },
    {
        "title": "Odlingslådor på vår gård i Mariastaden",
        "summary": (
            "Vi vill bygga odlingslådor på den gemensamma gården i Mariastaden, så att grannar "
            "kan odla grönsaker tillsammans och lära känna varandra."
        ),
        "body": (
            "I vårt kvarter bor vi tätt men känner knappt varandra. Förra sommaren satte några "
            "av oss ut pallkragar på prov, och plötsligt stod vi och pratade med grannar vi "
            "aldrig träffat.\n\n"
            "Nu vill vi göra det ordentligt: tio odlingslådor, en vattentunna och ett litet "
            "förråd för verktyg. Alla på gården får vara med.\n\n"
            "Vi behöver hjälp med virke och jord, och gärna någon som kan bygga."
        ),
        "fokusomrade": KONTAKT,
        "prioriteringar": ["moten"],
        "stadsdel": "mariastaden",
        "author": "anna",
        "partner_needs": ["materials", "volunteers"],
        "partner_needs_text": "Virke till tio odlingslådor, planteringsjord och en vattentunna.",
        "days_ago": 26,
        "supports": 19,
        "comments": [],
    },
    {
        "title": "Årlig städdag längs Råån",
        "summary": (
            "Varje vår samlas vi och plockar skräp längs Råån, från Ramlösa ner till Råå hamn. "
            "Ån är viktig för havsöringen och förtjänar att vara ren."
        ),
        "body": (
            "Längs Råån ligger det mycket plast, särskilt efter vinterns stormar. Skräpet spolas "
            "ut i Öresund och skadar både fåglar och fisk.\n\n"
            "Jag vill att vi gör en gemensam städdag varje år i april, med säckar, handskar och "
            "gripklor. Vi delar upp sträckan i bitar så att alla kan vara med, även familjer "
            "med små barn.\n\n"
            "Efteråt kan vi fika tillsammans vid Råå hamn."
        ),
        "fokusomrade": LANDSKAP,
        "prioriteringar": ["skydd"],
        "stadsdel": None,
        "author": "erik",
        "partner_needs": ["volunteers", "materials"],
        "partner_needs_text": "Säckar, handskar och gripklor, och folk som vill plocka.",
        "days_ago": 44,
        "supports": 26,
        "comments": [
            {"by": "stodjare-040", "text": "Vi kommer med hela familjen!"},
            {
                "by": "stodjare-058",
                "text": "Jag har sett havsöring i Råån nere vid Råå. Fantastiskt att den "
                "finns så nära stan.",
            },
            {"by": "anna", "text": "Sätt upp det i kalendern, jag är med."},
        ],
    },
    {
        "title": "Bokbytarskåp på Söder",
        "summary": (
            "Ett litet skåp där man lämnar en bok och tar en annan. Föreslår ett vid lekplatsen "
            "på Söder, där många föräldrar ändå sitter och väntar."
        ),
        "body": (
            "Jag har sett bokbytarskåp i andra städer och de används hela tiden. Det kostar "
            "nästan ingenting och gör det lätt att hitta något nytt att läsa.\n\n"
            "Ett väderskyddat skåp, gärna byggt av återbrukat virke, räcker. Jag och några "
            "grannar kan hålla koll på det och rensa ut böcker som blivit blöta."
        ),
        "fokusomrade": KONTAKT,
        "prioriteringar": ["moten"],
        "stadsdel": "soder",
        "author": "sara",
        "days_ago": 5,
        "supports": 21,
        "trend": "hot",
        "comments": [
            {"by": "stodjare-011", "text": "Gärna med en hylla för barnböcker längst ner!"},
        ],
    },
    {
        "title": "Lördagsmusik på Sundstorget på sommaren",
        "summary": (
            "Låt lokala musiker spela på Sundstorget lördagar i juli och augusti. En enkel scen, "
            "el och ett schema som alla kan anmäla sig till."
        ),
        "body": (
            "Sundstorget är fint men ofta tomt på sommarkvällarna. Helsingborg har massor av "
            "musiker som aldrig får en chans att spela för publik.\n\n"
            "Jag föreslår en öppen scen varje lördag klockan 17–20 under sommaren. Vem som helst "
            "kan anmäla sig, och ett enkelt schema på webben visar vem som spelar när.\n\n"
            "Det skulle göra torget till en mötesplats, och restaurangerna runt omkring skulle "
            "säkert också uppskatta det."
        ),
        "fokusomrade": SINNEN,
        "prioriteringar": ["upplevelser", "inflytande"],
        "stadsdel": None,
        "author": "leila",
        "days_ago": 22,
        "supports": 17,
        "comments": [
            {"by": "stodjare-025", "text": "Vårt band skulle gärna spela! Vi gör folkmusik."},
            {
                "by": "stodjare-083",
                "text": "Tänk på grannarna, det bor folk runt torget. Slut klockan 20 låter "
                "rimligt.",
            },
        ],
    },
    {
        "title": "Låt eleverna i Dalhem vara med och rita om skolgården",
        "summary": (
            "Skolgården i Dalhem ska rustas upp. Vi vill att barnen själva får vara med och "
            "bestämma hur den ska se ut, genom workshoppar med modeller och ritningar."
        ),
        "body": (
            "Barnen är de som använder skolgården varje dag, men de får sällan frågan vad de "
            "vill ha. I vår förening har vi pratat med många barn, och de har tydliga åsikter: "
            "fler gömställen, mer grönt, och något att göra för dem som inte spelar fotboll.\n\n"
            "## Vårt förslag\n\n"
            "1. Tre workshoppar där barnen bygger modeller av sin drömskolgård\n"
            "2. En utställning i föreningslokalen där alla kan se förslagen\n"
            "3. Att staden tar med barnens förslag in i upprustningen\n\n"
            "Vi ordnar workshopparna, men vi behöver någon med kunskap om landskapsarkitektur."
        ),
        "fokusomrade": BARN,
        "prioriteringar": ["barnetsrost", "barnmiljo"],
        "stadsdel": "dalhem",
        "author": "ahmed",
        "organisation": DALHEM,
        "partner_needs": ["expertise"],
        "partner_needs_text": "En landskapsarkitekt eller lärare som kan leda workshopparna.",
        "days_ago": 31,
        "supports": 21,
        "comments": [
            {"by": "fatima", "text": "Fler gömställen! Det säger min dotter också."},
        ],
    },
    {
        "title": "Lugna simtider för personer med NPF och sinnesöverkänslighet",
        "summary": (
            "En timme i veckan i simhallen med dämpad musik, färre besökare och inga "
            "visselpipor. För barn och vuxna med autism, ADHD eller överkänslighet för ljud."
        ),
        "body": (
            "Min son älskar att simma, men simhallen är för bullrig för honom. Ekot, "
            "visselpiporna och alla människor gör att vi oftast får gå hem efter tio minuter.\n\n"
            "I andra kommuner finns särskilda lugna tider. Det kostar inte mycket: man "
            "begränsar antalet besökare, stänger av musiken och säger till personalen.\n\n"
            "Det skulle betyda enormt mycket för många familjer i Helsingborg."
        ),
        "fokusomrade": MANGFALD,
        "prioriteringar": ["lika", "tillganglighet"],
        "stadsdel": None,
        "author": "fatima",
        "days_ago": 58,
        "supports": 44,
        "comments": [
            {
                "by": "stodjare-034",
                "text": "Tack för att du skriver det här. Vi har precis samma erfarenhet.",
            },
            {
                "by": "stodjare-060",
                "text": "Jag är vuxen med ADHD och skulle också uppskatta det.",
            },
            {"by": "lars", "text": "Även vi äldre med hörapparat tackar."},
            {
                "by": "stodjare-097",
                "text": "Lugn tid på en lördag förmiddag skulle passa de flesta familjer.",
                "replies": [
                    {"by": "fatima", "text": "Ja, eller söndag. Det viktiga är att det blir av!"},
                ],
            },
        ],
    },
    {
        "title": "Frukostträffar för äldre i Ödåkra",
        "summary": (
            "En gång i veckan vill vi bjuda in äldre i Ödåkra till gemensam frukost. Många sitter "
            "ensamma hemma. Vi har folk som vill hjälpa till, men vi saknar en lokal."
        ),
        "body": (
            "Min granne berättade att hon kan gå en hel vecka utan att prata med någon. Det fick "
            "mig att fundera på hur många fler det är i Ödåkra som har det så.\n\n"
            "Vi är några stycken som vill ordna frukost varje torsdag klockan 9–11: kaffe, "
            "smörgås och sällskap. Inga krav, man kommer när man vill.\n\n"
            "Det som saknas är en lokal med kök, nära busshållplatsen och utan trappor."
        ),
        "fokusomrade": KONTAKT,
        "prioriteringar": ["moten", "forum"],
        "stadsdel": "odakra",
        "author": "sara",
        "partner_needs": ["venue"],
        "partner_needs_text": (
            "Vi söker en lokal i Ödåkra för 20–25 personer, med kök och utan trappor, "
            "torsdagar förmiddag. Församlingshem, föreningslokal eller skola går bra."
        ),
        "days_ago": 18,
        "supports": 14,
        "comments": [
            {
                "by": "stodjare-047",
                "text": "Min mamma bor i Ödåkra och skulle älska det här.",
            },
        ],
    },
    {
        "title": "Öppna skolgårdarna i Stattena på helgerna",
        "summary": (
            "Skolgårdarna är låsta på helgerna trots att de har de bästa bollplanerna i "
            "området. Låt barnen använda dem även lördag och söndag."
        ),
        "body": (
            "Barnen i Stattena har ont om plats att spela boll på. Samtidigt står skolgårdarna "
            "tomma och låsta varje helg.\n\n"
            "Jag förstår att det kan finnas problem med nedskräpning, men det borde gå att lösa "
            "med fler papperskorgar och kanske att föreningar tar ansvar för vissa tider."
        ),
        "fokusomrade": AKTIV,
        "prioriteringar": ["fritid"],
        "stadsdel": "stattena",
        "author": "sara",
        "days_ago": 9,
        "supports": 8,
        "comments": [],
    },
    {
        "title": "Inhägnad hundrastgård i Fredriksdal",
        "summary": (
            "Det finns ingen hundrastgård i Fredriksdal. En inhägnad yta där hundar kan springa "
            "lösa skulle minska konflikterna i parkerna."
        ),
        "body": (
            "Vi är många hundägare i Fredriksdal som släpper hundarna på gräsytorna eftersom det "
            "inte finns någon annanstans. Det skapar irritation, förståeligt nog.\n\n"
            "En inhägnad hundrastgård med dubbla grindar, några bänkar och en papperskorg skulle "
            "lösa mycket. Gärna uppdelad i en del för stora och en för små hundar."
        ),
        "fokusomrade": SINNEN,
        "prioriteringar": ["stadsmiljo"],
        "stadsdel": "fredriksdal",
        "author": "sara",
        "days_ago": 66,
        "supports": 33,
        "trend": "cooling",
        "comments": [
            {"by": "stodjare-005", "text": "Ja tack! Och vatten till hundarna på sommaren."},
            {
                "by": "stodjare-071",
                "text": "Som förälder blir jag glad om hundarna får en egen plats. Bra förslag.",
            },
        ],
    },
    {
        "title": "Skyltar om djur och växter i Pålsjö skog, på flera språk",
        "summary": (
            "Sätt upp skyltar längs stigarna i Pålsjö skog som berättar om bokskogen, fåglarna "
            "och djuren, på svenska, engelska och arabiska, med QR-kod till mer."
        ),
        "body": (
            "Pålsjö skog är en fantastisk bokskog mitt i stan, men de flesta vet nog inte "
            "vilka fåglar de hör eller varför de döda träden får ligga kvar.\n\n"
            "Skyltar med bilder och kort text skulle göra promenaden mer spännande, särskilt "
            "för barn och för nya Helsingborgare som inte vuxit upp med svensk natur.\n\n"
            "En QR-kod kan leda till fågelläten och mer information."
        ),
        "fokusomrade": LANDSKAP,
        "prioriteringar": ["naturmiljoer"],
        "stadsdel": None,
        "author": "johan",
        "days_ago": 3,
        "supports": 6,
        "trend": "hot",
        "comments": [],
    },
    {
        "title": "Cykla till jobbet-utmaning för företag i Helsingborg",
        "summary": (
            "En månadslång tävling i maj där arbetsplatser i Helsingborg tävlar om flest "
            "cyklade kilometer. Vi bjuder på service för alla deltagares cyklar."
        ),
        "body": (
            "Hälften av alla bilresor i stan är kortare än fem kilometer. Många skulle kunna "
            "cykla, men det behövs en knuff.\n\n"
            "## Så funkar det\n\n"
            "- Arbetsplatser anmäler lag\n"
            "- Deltagarna loggar sina kilometer i en app eller på papper\n"
            "- Det lag som cyklat mest per person vinner, och alla får gratis cykelservice "
            "hos oss vid Knutpunkten\n\n"
            "Vi söker fler företag som vill vara med och sponsra priser."
        ),
        "fokusomrade": AKTIV,
        "prioriteringar": ["aktivdag", "frisk"],
        "stadsdel": None,
        "author": "karin",
        "organisation": CYKEL,
        "partner_needs": ["funding"],
        "partner_needs_text": "Företag som vill sponsra priser till vinnarlagen.",
        "days_ago": 8,
        "supports": 27,
        "trend": "hot",
        "comments": [
            {"by": "stodjare-029", "text": "Vår arbetsplats anmäler sig direkt!"},
            {
                "by": "stodjare-087",
                "text": "Kan man vara med som lag även om man jobbar hemifrån ibland?",
                "replies": [
                    {"by": "karin", "text": "Ja, alla cyklade kilometer räknas!"},
                ],
            },
        ],
    },
    {
        "title": "Cykelpumpar och verktygsstationer längs de stora cykelstråken",
        "summary": (
            "Sätt upp fasta cykelpumpar och enkla verktyg vid Knutpunkten, Ramlösa station och "
            "längs cykelvägen mot Ödåkra."
        ),
        "body": (
            "En punktering eller för lite luft i däcken gör att många ställer cykeln. Fasta "
            "pumpar med verktyg fästa i vajrar finns i många städer.\n\n"
            "Vi på Öresundscykel kan ge råd om placering och hjälpa till med underhållet de "
            "första åren."
        ),
        "fokusomrade": AKTIV,
        "prioriteringar": ["frisk"],
        "stadsdel": None,
        "author": "karin",
        "organisation": CYKEL,
        "status": "submitted",
        "days_ago": 1,
    },
    {
        "title": "Grannskapsfest i Dalhem i augusti",
        "summary": (
            "En stor fest för hela Dalhem, med mat från många länder, musik och lekar för barnen. "
            "Vi behöver bidrag till hyra av tält och fler som vill hjälpa till."
        ),
        "body": (
            "Förra året samlade vår grannskapsfest över 300 personer. Folk tog med mat från sina "
            "hemländer och barnen sprang runt och lekte till sent.\n\n"
            "I år vill vi göra den ännu större, med en scen för musik och dans och ett "
            "loppistält. Allt är gratis för besökarna.\n\n"
            "Vi söker bidrag till tält, ljud och toaletter, och volontärer som vill hjälpa "
            "till att ställa i ordning och städa efteråt."
        ),
        "fokusomrade": KONTAKT,
        "prioriteringar": ["moten", "egenmakt"],
        "stadsdel": "dalhem",
        "author": "ahmed",
        "organisation": DALHEM,
        "partner_needs": ["funding", "volunteers"],
        "partner_needs_text": "Ungefär 25 000 kronor till tält och ljud, och 15 volontärer.",
        "days_ago": 51,
        "supports": 47,
        "comments": [
            {"by": "stodjare-002", "text": "Förra årets fest var bäst! Jag hjälper till igen."},
            {"by": "stodjare-038", "text": "Min mormor gör sambusa, hon vill gärna bidra."},
            {
                "by": "erik",
                "text": "Kan man bjuda in folk från andra stadsdelar också?",
                "replies": [
                    {"by": "ahmed", "text": "Självklart, alla är välkomna!"},
                ],
            },
            {
                "by": "maria",
                "text": (
                    "Hej, vi har tagit bort en kommentar som innehöll en privatpersons "
                    "telefonnummer. Använd gärna ”Erbjud hjälp” för att kontakta föreningen."
                ),
            },
        ],
    },
    {
        "title": "Mentorer för unga i Dalhem",
        "summary": (
            "Vi vill para ihop ungdomar i Dalhem med vuxna från arbetslivet som kan berätta om "
            "sina yrken, hjälpa till med CV och öppna dörrar till sommarjobb."
        ),
        "body": (
            "Många unga i Dalhem känner ingen som jobbar som ingenjör, sjuksköterska eller "
            "jurist. Det påverkar vad de tror är möjligt för dem själva.\n\n"
            "Vi vill starta ett mentorsprogram där en ungdom och en vuxen träffas en gång i "
            "månaden under ett år. Föreningen ordnar träffpunkter och utbildar mentorerna.\n\n"
            "Vi söker företag och personer som vill vara mentorer."
        ),
        "fokusomrade": KONTAKT,
        "prioriteringar": ["forebilder"],
        "stadsdel": "dalhem",
        "author": "ahmed",
        "organisation": DALHEM,
        "partner_needs": ["expertise", "volunteers"],
        "partner_needs_text": "Vuxna i arbetslivet som kan ge en timme i månaden.",
        "days_ago": 15,
        "supports": 16,
        "comments": [
            {"by": "karin", "text": "Jag anmäler mig gärna som mentor, och kanske fler hos oss."},
        ],
    },
    {
        "title": "Fler papperskorgar och sortering vid Gröningen och Tropical Beach",
        "summary": (
            "På sommaren svämmar papperskorgarna över vid Gröningen och Tropical Beach. Fler "
            "och större kärl, med sortering, skulle hålla stranden och havet renare."
        ),
        "body": (
            "En vanlig sommarkväll är det fullt av folk vid Gröningen och Tropical Beach. Dagen "
            "efter ligger pizzakartonger och burkar överallt, och mycket blåser ut i vattnet.\n\n"
            "Jag föreslår fler och större kärl, med separata hål för pant, så att burkarna "
            "kan samlas in. Och tätare tömning på helgerna under juni till augusti."
        ),
        "fokusomrade": SINNEN,
        "prioriteringar": ["stadsmiljo"],
        "stadsdel": None,
        "author": "erik",
        "days_ago": 70,
        "supports": 29,
        "trend": "cooling",
        "comments": [
            {"by": "stodjare-016", "text": "Pantställ vid papperskorgarna, som i Köpenhamn!"},
            {
                "by": "stodjare-049",
                "text": "Det är inte kärlen som är problemet utan folk som inte tar med sig "
                "sitt skräp.",
                "replies": [
                    {
                        "by": "erik",
                        "text": "Kanske, men när kärlen är fulla blir det ännu värre. Båda behövs.",
                    },
                    {"by": "stodjare-016", "text": "Håller med Erik."},
                ],
            },
        ],
    },
    {
        "title": "En gemensam kalender för föreningarnas aktiviteter",
        "summary": (
            "Det händer massor i Helsingborgs föreningar, men det är svårt att hitta. En "
            "gemensam kalender på webben där föreningar själva lägger in sina aktiviteter."
        ),
        "body": (
            "Jag är med i en körförening och vi har svårt att nå ut. Samtidigt hör jag folk "
            "klaga på att det inte händer något. Informationen finns, men på hundra olika "
            "Facebooksidor.\n\n"
            "En gemensam kalender, där man kan filtrera på stadsdel, ålder och typ av "
            "aktivitet, skulle hjälpa både föreningar och de som letar efter något att göra.\n\n"
            "Den behöver vara lätt att använda, även för föreningar utan en datorvan "
            "sekreterare."
        ),
        "fokusomrade": LYSSNAR,
        "prioriteringar": ["internet"],
        "stadsdel": None,
        "author": "lars",
        "days_ago": 20,
        "supports": 7,
        "comments": [],
    },
    {
        "title": "Medborgarbudget för Drottninghög",
        "summary": (
            "Låt oss som bor på Drottninghög själva bestämma över en del av pengarna till "
            "stadsdelens utveckling. Förslag och omröstning öppen för alla boende."
        ),
        "body": (
            "Drottninghög förändras mycket just nu, med nya hus och nya gator. Många av oss som "
            "bott här länge känner att förändringen görs åt oss, inte med oss.\n\n"
            "## Förslag\n\n"
            "Staden avsätter en summa varje år som de boende själva får fördela. Vem som helst "
            "får lämna förslag, och alla som bor här, även barn från tolv år, får rösta.\n\n"
            "Det skulle bygga förtroende och ge oss en verklig röst."
        ),
        "fokusomrade": LYSSNAR,
        "prioriteringar": ["insyn", "fortroende"],
        "stadsdel": "drottninghog",
        "author": "fatima",
        "days_ago": 38,
        "supports": 48,
        "comments": [
            {"by": "stodjare-012", "text": "Så gör man i Paris och Porto Alegre. Varför inte här?"},
            {"by": "stodjare-055", "text": "Bra att barn får rösta!"},
            {
                "by": "stodjare-093",
                "text": "Hur stor summa tänker du dig?",
                "replies": [
                    {
                        "by": "fatima",
                        "text": "Det är inte det viktigaste, men några miljoner skulle "
                        "räcka till riktiga projekt.",
                    },
                ],
            },
            {"by": "johan", "text": "Stöttar, och tycker fler stadsdelar borde få samma sak."},
        ],
    },
    {
        "title": "Låt vägkanterna blomma i Gustavslund",
        "summary": (
            "Slå vägkanterna i Gustavslund mer sällan och så in ängsfrön, så att de blir gröna "
            "korridorer för bin och fjärilar mellan trädgårdarna."
        ),
        "body": (
            "Vägkanterna i Gustavslund klipps lika kort som gräsmattorna, flera gånger per "
            "sommar. Om de i stället slogs en gång per år skulle blommor som käringtand och "
            "rölleka komma tillbaka av sig själva.\n\n"
            "Tillsammans med alla trädgårdar i området skulle det bli ett nätverk av "
            "blommande platser för pollinerande insekter."
        ),
        "fokusomrade": LANDSKAP,
        "prioriteringar": ["planering", "naturmiljoer"],
        "stadsdel": "gustavslund",
        "author": "sara",
        "days_ago": 24,
        "supports": 13,
        "comments": [
            {"by": "anna", "text": "Bra! Det passar ihop med mitt förslag om Slottshagen."},
        ],
    },
    {
        "title": "Vattenlek för barn i Ramlösa brunnspark",
        "summary": (
            "En vattenlek med pumpar och rännor i Ramlösa brunnspark, som knyter an till "
            "källvattnet. Somrarna blir varmare och barnen behöver svalka nära hemmet."
        ),
        "body": (
            "Ramlösa brunnspark är känd för sitt källvatten, men barnen får inte leka med "
            "vattnet någonstans. En enkel vattenlek med handpumpar, rännor och dammluckor "
            "skulle passa perfekt.\n\n"
            "Förra sommaren var det över 30 grader flera dagar, och det är långt till "
            "stranden för familjer utan bil. En vattenlek ger svalka och är rolig för alla "
            "åldrar."
        ),
        "fokusomrade": BARN,
        "prioriteringar": ["barnmiljo"],
        "stadsdel": None,
        "author": "sara",
        "days_ago": 73,
        "supports": 60,
        "trend": "cooling",
        "comments": [
            {"by": "stodjare-001", "text": "Mina barn skulle älska det här."},
            {
                "by": "stodjare-027",
                "text": "Vattnet måste vara rent och cirkulera, tänk på hygienen.",
                "replies": [
                    {"by": "sara", "text": "Ja, det förutsätter jag. Det finns bra lösningar."},
                ],
            },
            {"by": "stodjare-064", "text": "Skugga och bänkar för föräldrarna, tack!"},
            {"by": "leila", "text": "Ja! Det är långt till stranden för oss som bor här."},
            {"by": "stodjare-109", "text": "Stöttar!"},
        ],
    },
    {
        "title": "Öppen scen för unga på Söder",
        "summary": (
            "Unga på Söder behöver en plats att spela musik, göra stand-up och visa sin konst. "
            "En öppen scen en fredag i månaden, om vi hittar en lokal."
        ),
        "body": (
            "Jag jobbar med unga och ser hur mycket talang det finns som aldrig syns. Det "
            "saknas platser där man kan stå på en scen för första gången utan att det kostar "
            "något.\n\n"
            "Vi vill ordna en öppen scen en fredag i månaden, där ungdomarna själva bestämmer "
            "programmet. Vi har ljudutrustning, men vi behöver en lokal."
        ),
        "fokusomrade": SINNEN,
        "prioriteringar": ["inflytande", "upplevelser"],
        "stadsdel": "soder",
        "author": "leila",
        "partner_needs": ["venue"],
        "partner_needs_text": "En lokal för cirka 80 personer på fredagskvällar, gärna på Söder.",
        "days_ago": 11,
        "supports": 10,
        "comments": [
            {"by": "stodjare-073", "text": "Min son rappar och skulle verkligen behöva det här."},
        ],
    },
    {
        "title": "Basketkorgar på Planteringen",
        "summary": (
            "Sätt upp två basketkorgar på den asfalterade ytan vid Planteringen, där många "
            "ungdomar redan hänger på kvällarna."
        ),
        "body": (
            "Det finns en stor asfaltsyta på Planteringen som mest används för att åka "
            "skateboard. Ungdomarna har frågat efter basketkorgar i flera år.\n\n"
            "Två korgar med kedjenät är billigt och hållbart, och ger en plats att träffas och "
            "röra på sig."
        ),
        "fokusomrade": AKTIV,
        "prioriteringar": ["fritid"],
        "stadsdel": "planteringen",
        "author": "johan",
        "days_ago": 2,
        "supports": 0,
        "comments": [],
    },
    {
        "title": "Grillplatser vid stranden på Råå",
        "summary": (
            "Fasta grillplatser vid stranden på Råå, så att folk slipper engångsgrillar som "
            "bränner gräset och lämnas kvar."
        ),
        "body": (
            "Varje sommar ligger det engångsgrillar kvar i sanden vid Råå. Fasta grillar i "
            "sten eller stål, med en askbehållare bredvid, skulle lösa det.\n\n"
            "Det blir också en trevlig samlingsplats för familjer och vänner."
        ),
        "fokusomrade": SINNEN,
        "prioriteringar": ["vila"],
        "stadsdel": None,
        "author": "erik",
        "status": "submitted",
        "days_ago": 2,
    },
    {
        "title": "Loppis i Slottshagen varje vår",
        "summary": (
            "En stor gemensam loppis i Slottshagen en söndag i maj, där alla Helsingborgare "
            "kan sälja och byta saker."
        ),
        "body": (
            "Jag har massor av barnkläder som blivit för små, och jag vet att många har det "
            "likadant. En loppis i Slottshagen skulle vara både trevlig och bra för miljön.\n\n"
            "(Utkast – fyll på med datum och vem som kan hjälpa till.)"
        ),
        "fokusomrade": KONTAKT,
        "prioriteringar": [],
        "stadsdel": None,
        "author": "sara",
        "status": "draft",
        "days_ago": 1,
    },
]
