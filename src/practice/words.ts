/**
 * Word lists the practice site composes its content from. Plain ASCII except where a
 * list is meant to exercise UTF-8 (cities). Changing a list changes every seeded site,
 * so append rather than reorder if you need more words.
 */

export const FIRST_NAMES = [
  "Ada", "Alan", "Albert", "Alice", "Amara", "Anton", "Beatrix", "Benjamin", "Bruno", "Camille",
  "Carlos", "Charlotte", "Chen", "Clara", "Daniel", "Dara", "Dmitri", "Edith", "Elena", "Elias",
  "Emil", "Emma", "Esther", "Farah", "Felix", "Frida", "Gabriel", "Grace", "Hannah", "Hector",
  "Helen", "Hugo", "Ines", "Irene", "Isaac", "Ivan", "Jane", "Jonas", "Jorge", "Julia",
  "Kai", "Karin", "Kenji", "Lars", "Laura", "Leo", "Lina", "Lucia", "Luis", "Mara",
  "Marcus", "Maria", "Marta", "Mateo", "Maya", "Mina", "Nadia", "Nathan", "Nina", "Noah",
  "Nora", "Olga", "Omar", "Oscar", "Pablo", "Paula", "Pedro", "Priya", "Rafael", "Rosa",
  "Ruth", "Sami", "Sara", "Selma", "Simon", "Sofia", "Stella", "Tariq", "Tessa", "Theo",
  "Tomas", "Uma", "Vera", "Victor", "Viola", "Walter", "Wanda", "Xavier", "Yara", "Yusuf",
  "Zara", "Zoe", "Agnes", "Boris", "Cyrus", "Delia", "Enzo", "Flora", "Greta", "Ibrahim",
];

export const LAST_NAMES = [
  "Abbott", "Adler", "Alvarez", "Andersen", "Baker", "Barros", "Becker", "Bianchi", "Blake", "Brandt",
  "Brooks", "Castillo", "Chandra", "Clarke", "Costa", "Dalton", "Dumont", "Eriksen", "Evans", "Fischer",
  "Fleming", "Fontaine", "Garcia", "Gray", "Hale", "Hansen", "Hartmann", "Hayes", "Holm", "Ibarra",
  "Ivanova", "Jensen", "Kaplan", "Keller", "Kimura", "Klein", "Kowalski", "Lambert", "Larsen", "Lindqvist",
  "Lopez", "Maddox", "Marino", "Meyer", "Moreau", "Morgan", "Nakamura", "Navarro", "Nielsen", "Novak",
  "Okafor", "Olsen", "Ortega", "Park", "Patel", "Perez", "Petrov", "Quinn", "Ramos", "Reyes",
  "Richter", "Rossi", "Russo", "Sato", "Schmidt", "Serrano", "Silva", "Sorensen", "Stone", "Suzuki",
  "Tanaka", "Torres", "Turner", "Ueda", "Valdez", "Vargas", "Vogel", "Wagner", "Walsh", "Weber",
  "Wells", "Winter", "Wolf", "Yamada", "Young", "Zeller", "Zimmer", "Ahmed", "Bauer", "Conti",
  "Duarte", "Engel", "Ferreira", "Gallo", "Horvat", "Jovanovic", "Kuznetsov", "Lund", "Mendes", "Nowak",
];

/** Birth places; several are non-ASCII on purpose (UTF-8 must survive the round trip). */
export const CITIES = [
  "Ulm, Germany", "Zürich, Switzerland", "São Paulo, Brazil", "Kraków, Poland", "Malmö, Sweden",
  "Reykjavík, Iceland", "Montréal, Canada", "Düsseldorf, Germany", "Besançon, France", "A Coruña, Spain",
  "Lisbon, Portugal", "Dublin, Ireland", "Edinburgh, Scotland", "Boston, Massachusetts", "Chicago, Illinois",
  "Kyoto, Japan", "Osaka, Japan", "Lagos, Nigeria", "Nairobi, Kenya", "Cairo, Egypt",
  "Mumbai, India", "Pune, India", "Hanoi, Vietnam", "Seoul, South Korea", "Melbourne, Australia",
  "Auckland, New Zealand", "Lima, Peru", "Bogotá, Colombia", "Mexico City, Mexico", "Havana, Cuba",
  "Vienna, Austria", "Prague, Czech Republic", "Budapest, Hungary", "Athens, Greece", "Istanbul, Turkey",
  "Oslo, Norway", "Helsinki, Finland", "Tallinn, Estonia", "Riga, Latvia", "Vilnius, Lithuania",
  "Florence, Italy", "Naples, Italy", "Seville, Spain", "Porto, Portugal", "Bruges, Belgium",
  "Utrecht, Netherlands", "Lyon, France", "Marseille, France", "Geneva, Switzerland", "Salzburg, Austria",
];

export const TAGS = [
  "love", "inspirational", "life", "humor", "books", "reading", "friendship", "truth",
  "simile", "music", "writing", "travel", "courage", "hope", "wisdom", "science",
  "nature", "change", "success", "art", "history", "philosophy", "kindness", "be-yourself",
];

export const NOUNS = [
  "heart", "mind", "world", "river", "silence", "journey", "garden", "light", "shadow", "memory",
  "truth", "courage", "laughter", "book", "friend", "dream", "morning", "storm", "ocean", "mountain",
  "door", "window", "road", "seed", "fire", "song", "story", "question", "answer", "habit",
  "patience", "kindness", "wisdom", "season", "harvest", "map", "compass", "lantern", "bridge", "letter",
  "promise", "secret", "mirror", "candle", "forest", "star", "sky", "city", "home", "voice",
  "hand", "step", "page", "word", "idea", "reason", "failure", "success", "fear", "hope",
  "life", "art", "work", "doubt", "faith", "curiosity", "wonder", "beauty", "error", "lesson",
  "teacher", "student", "stranger", "neighbor", "child", "island", "winter", "summer", "harbor", "library",
];

export const ADJECTIVES = [
  "quiet", "brave", "small", "ancient", "honest", "gentle", "restless", "bright", "hidden", "simple",
  "patient", "curious", "stubborn", "tender", "wild", "careful", "broken", "golden", "humble", "lonely",
  "strange", "ordinary", "endless", "fragile", "steady", "hungry", "generous", "foolish", "wise", "sudden",
  "slow", "young", "old", "distant", "familiar", "invisible", "empty", "open", "narrow", "deep",
  "warm", "cold", "unfinished", "forgotten", "borrowed", "true", "kind", "fierce", "silent", "clever",
];

export const VERBS = [
  "love", "carry", "forget", "remember", "build", "break", "follow", "find", "lose", "keep",
  "choose", "change", "fear", "trust", "open", "close", "plant", "read", "write", "answer",
  "question", "measure", "forgive", "teach", "learn", "feed", "hide", "mend", "share", "hold",
  "chase", "outgrow", "borrow", "earn", "waste", "guard", "shape", "name", "free", "wake",
];

export const ADVERBS = [
  "quietly", "always", "never", "slowly", "gladly", "rarely", "bravely", "honestly", "gently", "patiently",
  "suddenly", "eventually", "carefully", "boldly", "freely", "often", "softly", "wisely", "barely", "simply",
  "truly", "deeply", "kindly", "openly", "seldom",
];

export const OCCUPATIONS = [
  "poet", "novelist", "physicist", "painter", "philosopher", "engineer", "composer", "teacher",
  "journalist", "botanist", "astronomer", "playwright", "historian", "cartographer", "architect", "chemist",
];

export const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

export const COMPANY_PREFIXES = [
  "Blue", "North", "Bright", "Silver", "Red", "Clear", "Stone", "Green", "Iron", "Cedar",
  "Maple", "Harbor", "Summit", "River", "Copper", "Lumen",
];

export const COMPANY_SUFFIXES = [
  "Labs", "Works", "Systems", "Analytics", "Logistics", "Foods", "Media", "Health", "Robotics", "Energy",
];

export const JOB_TITLES = [
  "Software Engineer", "Data Analyst", "Product Designer", "Site Reliability Engineer", "Technical Writer",
  "QA Engineer", "Data Engineer", "Product Manager", "Frontend Developer", "Backend Developer",
  "Support Specialist", "Security Analyst", "Machine Learning Engineer", "Database Administrator",
  "Sales Engineer", "UX Researcher", "Marketing Analyst", "Office Manager", "Recruiter", "Accountant",
];

export const JOB_LEVELS = ["Junior", "", "Senior", "Lead", "Staff", "Principal"];

export const JOB_PHRASES = [
  "You will work with a small team that ships every week",
  "We value clear writing and careful reviews",
  "The role reports to the head of engineering",
  "Most of the team works remotely across three time zones",
  "You will own features from the first sketch to production",
  "We offer a learning budget and four weeks of paid leave",
  "Experience with TypeScript or Go is a plus",
  "You will mentor two junior colleagues",
  "On-call duty rotates and is paid",
  "We expect you to improve our tests and documentation",
  "The position is full time and permanent",
  "You will talk to customers every month",
];

export const PRODUCT_MATERIALS = [
  "Walnut", "Steel", "Linen", "Ceramic", "Oak", "Copper", "Glass", "Bamboo", "Wool", "Leather", "Marble", "Cotton",
];

export const PRODUCT_NOUNS = [
  "Desk Lamp", "Notebook", "Mug", "Chair", "Backpack", "Kettle", "Clock", "Vase", "Blanket", "Pen", "Shelf", "Teapot",
];
