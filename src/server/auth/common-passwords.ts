/**
 * Common passwords and the words they are built from (lower case). Our minimum length is 12,
 * so the classic top-1,000 ("123456", "password", "dragon") only matter as the base of a longer
 * password: password-policy.ts strips leading/trailing digits and symbols and checks the rest
 * here, so "Password2024!!" and "dragon12345678" are refused. Long passwords that are common
 * as a whole ("iloveyouforever") are listed too.
 */
const WORDS = `
123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball abc123
football monkey letmein 696969 shadow master 666666 qwertyuiop 123321 mustang 1234567890 michael
654321 superman 1qaz2wsx 7777777 121212 000000 qazwsx 123qwe killer trustno1 jordan jennifer
zxcvbnm asdfgh hunter buster soccer harley batman andrew tigger sunshine iloveyou 2000 charlie
robert thomas hockey ranger daniel starwars klaster 112233 george computer michelle jessica pepper
1111 zxcvbn 555555 11111111 131313 freedom 777777 pass maggie 159753 aaaaaa ginger princess joshua
cheese amanda summer love ashley nicole chelsea biteme matthew access yankees 987654321 dallas
austin thunder taylor matrix mobilemail mom monitor monitoring montana moon moscow william
corvette hello martin heather secret merlin diamond 1234qwer gfhjkm hammer silver 222222 88888888
anthony justin test bailey q1w2e3r4t5 patrick internet scooter orange 11111 golfer cookie richard
samantha bigdog guitar jackson whatever mickey chicken sparky snoopy maverick phoenix camaro sexy
peanut morgan welcome falcon cowboy ferrari samsung andrea smokey steelers joseph mercedes dakota
arsenal eagles melissa boomer booboo spider nascar monster tigers yellow xxxxxx 123123123 gateway
marina diablo bulldog qwer1234 compaq purple hardcore banana junior hannah 123654 porsche lakers
iceman money cowboys 987654 london tennis 999999 ncc1701 coffee scooby 0000 miller boston q1w2e3r4
fuckoff brandon yamaha chester mother forever johnny edward 333333 oliver redsox player nikita
knight fender barney midnight please brandy chicago badboy iwantu slayer rangers charles angel
flower bigdaddy rabbit wizard bigdick jasper enter rachel chris steven winner adidas victoria
natasha 1q2w3e4r jasmine winter prince panties marine ghbdtn fishing cocacola casper james 232323
raiders 888888 marlboro gandalf asdfasdf crystal 87654321 12344321 golden blowme bigtits 8675309
panther lauren angela bitch spanky thx1138 angels madison winston shannon mike toyota blowjob
jordan23 canada sophie apples dick tiger razz 123abc pokemon qazxsw 55555 qwaszx muffin johnson
murphy cooper jonathan liverpool david danielle 159357 jackie 1990 123456a 789456 turtle horny
abcd1234 scorpion qazwsxedc 101010 butter carlos password1 dennis slipknot qwerty123 booger asdf
1991 black startrek 12341234 cameron newyork rainbow nathan john 1992 rocket viking redskins butthead
asdfghjkl 1212 sierra peaches gemini doctor wilson sandra helpme qwertyui victor florida dolphin
pookie captain tucker blue liverpool1 theman bandit dolphins maddog packers jaguar lovers nicholas
united tiffany maxwell zzzzzz nirvana jeremy suckit stupid porn monica elephant giants jackass hotdog
rosebud success debbie mountain 444444 xxxxxxxx warrior 1q2w3e4r5t q1w2e3 123456q albert metallic
lucky azerty 7777 shithead alex bond007 alexis 1111111 samson 5150 willie scorpio bonnie gators
benjamin voodoo driver dexter 2112 jason calvin freddy 212121 creative 12345a sydney rush2112 1989
asdfghjk red123 blowfish admin administrator root toor changeme default guest user login welcome1
passw0rd p@ssw0rd p@ssword pa55word letmein1 trustme secret1 qwerty1 iloveu iloveyou1 princess1
sunshine1 football1 baseball1 superman1 monkey1 dragon1 master1 shadow1 michael1 charlie1 jesus
jesus1 god love123 lovely loveme fuckyou fuckyou1 hello123 welcome123 abc12345 abcdef abcdefg
abcdefgh 123qweasd qweasd qweasdzxc zaq12wsx zaq1xsw2 1qazxsw2 azertyuiop qwertz qwertzuiop
spring autumn fall season monday tuesday friday sunday january february march april june july
august september october november december family mybaby baby babygirl babyboy sweety sweetheart
beautiful happy smile friends friend bestfriend soccer1 hockey1 basketball volleyball softball
computer1 internet1 google gmail yahoo hotmail facebook twitter instagram linkedin apple microsoft
windows linux ubuntu server database mysql oracle postgres backup office work company business
manager system security private public secure security1 letmein123 password123 password1234
admin123 admin1234 administrator1 root123 test123 test1234 testing tester demo sample example
temp temporary temppass newpass newpassword changeit mypassword mypass yourpassword nopassword
whatever1 asdfgh1 zxcvbnm1 gleaner scraper crawler spider1 webscraper scraping crawling
`;

const LONG = `
iloveyouforever iloveyousomuch iloveyoutoo iloveyouall 1234567890123 12345678901234 123456789012
1234567890qwerty qwertyuiopasdfghjkl qwertyuiopasdfghjklzxcvbnm qwertyuiop123 1q2w3e4r5t6y 1q2w3e4r5t6y7u8i
1qaz2wsx3edc 1qaz2wsx3edc4rfv zaq12wsxcde3 zaq12wsxcde34rfv q1w2e3r4t5y6 q1w2e3r4t5y6u7i8 asdfghjkl123
passwordpassword password1234567 passwordpassword1 letmeinletmein correcthorsebatterystaple
thequickbrownfox thequickbrownfoxjumpsoverthelazydog trustno1trustno1 welcomewelcome
abcdefghijkl abcdefghijklmnopqrstuvwxyz aaaaaaaaaaaa 111111111111 000000000000 123123123123
qwertyqwerty asdfasdfasdf qweqweqweqwe 123qwe123qwe iamthebest123 myspace12345 football12345
baseball12345 superman12345 starwars12345 princess12345 sunshine12345 administrator123
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set((WORDS + LONG).split(/\s+/).filter(Boolean));
